"""Exports that run in the background: any list's download, and the yearly recap, as a job whose file waits on
the Downloads page for the person who asked."""
