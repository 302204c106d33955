// The list page: «Новый документ» creates the file from its starter and
// opens it in the editor.
'use strict';

document.getElementById('new-document').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const status = document.getElementById('new-status');
  const params = new URLSearchParams({
    folder: form.folder.value || '0',
    kind: form.kind.value,
    name: form.name.value.trim(),
  });
  status.textContent = 'Создаю…';
  try {
    const response = await fetch('/api/new?' + params.toString(), { method: 'POST' });
    const answer = await response.json();
    if (!response.ok) {
      status.textContent = answer.error || 'Не удалось создать документ.';
      status.className = 'error';
      form.name.focus();
      return;
    }
    window.location.href = answer.url;
  } catch (e) {
    status.textContent = 'Редактор не отвечает: проверьте, что gostdoc serve запущен.';
    status.className = 'error';
  }
});
