// The export job's page: while the job waits or runs, ask its status URL every two seconds and show the
// percentage; once it is done or has failed, reload the page, which then shows the download link or the reason.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("export-job");
  if (!box || box.dataset.live !== "yes") {
    return;
  }
  const bar = document.getElementById("export-progress");
  const percent = document.getElementById("export-percent");
  const waiting = document.getElementById("export-waiting");
  const poll = () => {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((status) => {
        if (!status.live) {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.value = status.progress;
          bar.textContent = `${status.progress}%`;
        }
        if (percent) {
          percent.textContent = `${status.progress}%`;
        }
        if (waiting) {
          waiting.classList.toggle("d-none", !status.waits_for_service);
        }
        window.setTimeout(poll, 2000);
      })
      .catch(() => window.setTimeout(poll, 5000));
  };
  window.setTimeout(poll, 1000);
});
