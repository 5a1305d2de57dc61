// Draws the statistics page's charts from the JSON the page carries; the tables beside them hold the same numbers.
(() => {
  const holder = document.getElementById("statistics-data");
  if (!holder || typeof Chart === "undefined") return;
  const data = JSON.parse(holder.textContent);
  const percent = { min: 0, max: 100, ticks: { callback: (value) => `${value}%` } };
  new Chart(document.getElementById("retention-chart"), {
    type: "bar",
    data: {
      labels: data.categories,
      datasets: [
        { label: data.labels.office, data: data.office, backgroundColor: "#0b5ed7" },
        { label: data.labels.national, data: data.national, backgroundColor: "#adb5bd" },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, scales: { y: percent } },
  });
  new Chart(document.getElementById("months-chart"), {
    type: "line",
    data: {
      labels: data.months,
      datasets: [{ label: data.labels.clients, data: data.counts, borderColor: "#0b5ed7", backgroundColor: "#0b5ed7" }],
    },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  document.documentElement.dataset.chartsReady = "1";
})();
