// Progressive enhancement for share-link fields: adds a "Copy link" button. Without JavaScript the field still
// holds the address, ready to select and copy by hand.
for (const field of document.querySelectorAll('input[data-copy-field]')) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button-small button-secondary copy-button';
  button.textContent = 'Copy link';
  const status = document.createElement('span');
  status.className = 'copy-status';
  status.setAttribute('role', 'status');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = 'Link copied.';
    } catch {
      field.select();
      status.textContent = 'Selected: press Ctrl+C (or Command+C) to copy.';
    }
  });
  field.after(button, status);
}
