// Progressive enhancement for a tracking list that is being issued: asks for the figures every two seconds and
// updates the bar and the sentence in place (the sentence is a polite live region, so screen readers hear it
// without losing their place). Without JavaScript the page's Refresh link does the same by hand.
const status = document.querySelector('[data-list-progress]');
if (status) {
  const url = status.getAttribute('data-list-progress');
  const bar = document.querySelector('[data-list-progress-bar]');
  const text = document.querySelector('[data-list-progress-text]');
  const statusWords = document.querySelector('[data-list-status]');
  const poll = async () => {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!response.ok) return setTimeout(poll, 5000);
      const figures = await response.json();
      if (bar) bar.value = figures.percent;
      if (text) text.textContent = `${figures.percent}% done`;
      if (statusWords) statusWords.textContent = figures.statusWords;
      if (figures.isWorking) {
        status.textContent = figures.sentence;
        setTimeout(poll, 2000);
      } else if (figures.isStalled) {
        status.textContent = `${figures.sentence} Refresh the page to resume it; no row is issued twice.`;
      } else {
        status.textContent = `${figures.sentence} Refresh the page to see each row's outcome.`;
      }
    } catch {
      setTimeout(poll, 5000);
    }
  };
  setTimeout(poll, 2000);
}
