"""Rekapitulasi Program KIM: the yearly recap, as an Excel workbook and a PDF, signed."""
