// Progressive enhancement for a wallet offer on the learner's screen: asks every two seconds whether a wallet
// has taken the badge and says so in the page's live region. Without JavaScript the "Check whether…" link does
// the same by hand.
const status = document.querySelector('[data-wallet-progress]');
if (status) {
  const url = status.getAttribute('data-wallet-progress');
  const poll = async () => {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!response.ok) return setTimeout(poll, 5000);
      const progress = await response.json();
      if (progress.delivered || progress.expired) {
        status.className = `notice wallet-progress ${progress.delivered ? 'notice-ok' : 'notice-info'}`;
        status.textContent = progress.sentence;
      } else {
        setTimeout(poll, 2000);
      }
    } catch {
      setTimeout(poll, 5000);
    }
  };
  setTimeout(poll, 2000);
}
