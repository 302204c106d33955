// The editor of one document: CodeMirror with TOML highlighting, gostdoc's
// check at each line as you type, the preview of the pages, the forms and
// a save that never overwrites a file changed on disk.
// Plain ES2017, no build step: Chromium and Firefox as they are.
'use strict';

(function () {
  // A pause in typing this long checks the text and redraws the preview:
  // short enough for the preview to follow within 300 ms of the pause.
  const PAUSE_MS = 150;

  const body = document.body;
  const query = 'folder=' + encodeURIComponent(body.dataset.folder) +
    '&doc=' + encodeURIComponent(body.dataset.doc);
  const statusEl = document.getElementById('status');
  const problemsEl = document.getElementById('problems');
  const previewEl = document.getElementById('preview');
  const previewNote = document.getElementById('preview-note');
  const formStatus = document.getElementById('form-status');

  const cm = CodeMirror.fromTextArea(document.getElementById('source'), {
    mode: 'toml',
    lineNumbers: true,
    lineWrapping: true,
    screenReaderLabel: 'Текст документа (TOML)',
    // Tab leaves the editor, as everywhere else on the page: the page
    // must be usable from the keyboard alone.
    extraKeys: { Tab: false, 'Shift-Tab': false },
  });

  // For tests and for measuring: counts and times of checks and previews.
  const stats = { checks: 0, previews: 0, lastLatency: null, latencies: [] };
  window.gostdocEditor = { cm: cm, stats: stats };

  let version = null;   // of the file on disk as loaded or last saved
  let savedText = '';
  let conflictVersion = null;
  let lastChangeAt = 0;
  let timer = null;
  let controller = null;
  let sequence = 0;
  let marks = [];

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.className = kind || '';
  }

  function dirty() {
    return version !== null && cm.getValue() !== savedText;
  }

  function showDirty() {
    if (dirty()) setStatus('Есть несохранённые изменения', 'dirty');
    else if (version !== null) setStatus('Все изменения сохранены');
  }

  function describe(d) {
    let text = d.severity === 'error' ? 'Ошибка' : 'Предупреждение';
    if (d.field) text += ' в поле «' + d.field + '»';
    text += ': ' + d.message;
    if (d.hint) text += ' Подсказка: ' + d.hint;
    return text;
  }

  function jumpTo(line) {
    cm.focus();
    cm.setCursor({ line: line, ch: 0 });
    cm.scrollIntoView({ line: line, ch: 0 }, 80);
  }

  function showDiagnostics(list) {
    cm.operation(function () {
      for (const m of marks) {
        cm.removeLineClass(m.handle, 'background', m.cls);
        m.widget.clear();
      }
      marks = [];
      for (const d of list) {
        if (!d.here || !d.line) continue;
        const line = Math.min(d.line - 1, cm.lastLine());
        const handle = cm.getLineHandle(line);
        const cls = 'cm-line-' + d.severity;
        cm.addLineClass(handle, 'background', cls);
        const node = document.createElement('div');
        node.className = 'diagnostic-widget ' + d.severity;
        node.dataset.line = String(d.line);
        node.textContent = describe(d);
        const widget = cm.addLineWidget(handle, node, { coverGutter: false, noHScroll: true });
        marks.push({ handle: handle, cls: cls, widget: widget });
      }
    });
    problemsEl.textContent = '';
    if (list.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'Ошибок и предупреждений нет.';
      problemsEl.appendChild(li);
      return;
    }
    for (const d of list) {
      const li = document.createElement('li');
      li.className = d.severity;
      if (d.here && d.line) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'Строка ' + d.line + ': ' + describe(d);
        button.addEventListener('click', function () { jumpTo(d.line - 1); });
        li.appendChild(button);
      } else {
        li.textContent = (d.here ? '' : d.file + (d.line ? ', строка ' + d.line : '') + ': ') + describe(d);
      }
      problemsEl.appendChild(li);
    }
  }

  async function check() {
    const mine = ++sequence;
    if (controller) controller.abort();
    controller = new AbortController();
    const text = cm.getValue();
    const changedAt = lastChangeAt;
    let answer;
    try {
      const response = await fetch('/api/check?' + query, {
        method: 'POST',
        body: text,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        signal: controller.signal,
      });
      answer = await response.json();
      if (mine !== sequence) return;
      if (!response.ok) {
        showDiagnostics([{ severity: 'error', here: false, file: '', message: answer.error }]);
        return;
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      setStatus('Редактор не отвечает: проверьте, что gostdoc serve запущен', 'error');
      return;
    }
    showDiagnostics(answer.diagnostics);
    stats.checks += 1;
    if (answer.pages) {
      previewEl.innerHTML = answer.pages.join('');
      previewEl.classList.remove('stale');
      previewNote.textContent = '';
      stats.previews += 1;
      if (changedAt) {
        stats.lastLatency = performance.now() - changedAt;
        stats.latencies.push(stats.lastLatency);
      }
    } else {
      previewEl.classList.add('stale');
      previewNote.textContent = previewEl.childElementCount
        ? '(в тексте ошибка: показан последний правильный вариант)'
        : '(в тексте ошибка: исправьте её, и появятся страницы)';
    }
  }

  cm.on('change', function () {
    lastChangeAt = performance.now();
    showDirty();
    clearTimeout(timer);
    timer = setTimeout(check, PAUSE_MS);
  });

  async function load() {
    const response = await fetch('/api/document?' + query);
    const answer = await response.json();
    if (!response.ok) {
      setStatus(answer.error, 'error');
      return null;
    }
    return answer;
  }

  function setText(answer) {
    version = answer.version;
    cm.setValue(answer.text);
    // As CodeMirror holds it (its own line ends), so that the text just
    // loaded is not «changed».
    savedText = cm.getValue();
    cm.clearHistory();
    lastChangeAt = 0;
    clearTimeout(timer);
    check();
    showDirty();
  }

  async function save(overwrite) {
    const text = cm.getValue();
    const loaded = overwrite === undefined ? version : overwrite;
    if (loaded === null) return;
    setStatus('Сохраняю…');
    let response;
    let answer;
    try {
      response = await fetch('/api/save?' + query + '&version=' + encodeURIComponent(loaded), {
        method: 'POST',
        body: text,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
      answer = await response.json();
    } catch (e) {
      setStatus('Не сохранено: редактор не отвечает. Текст остался в окне, попробуйте ещё раз', 'error');
      return;
    }
    if (response.ok) {
      version = answer.version;
      savedText = text;
      hideConflict();
      const now = new Date();
      setStatus(dirty() ? 'Есть несохранённые изменения'
        : 'Сохранено в ' + now.toLocaleTimeString('ru-RU'), dirty() ? 'dirty' : '');
    } else if (response.status === 409) {
      showConflict(answer.error, answer.version);
    } else {
      setStatus('Не сохранено: ' + answer.error, 'error');
    }
  }

  const conflict = document.getElementById('conflict');
  function showConflict(message, diskVersion) {
    conflictVersion = diskVersion;
    document.getElementById('conflict-text').textContent =
      'Не сохранено: ' + message + '. Загрузите версию с диска (ваш текст останется ниже, его можно скопировать) или перезапишите её своим текстом.';
    document.getElementById('conflict-mine').hidden = true;
    conflict.hidden = false;
    setStatus('Не сохранено: файл изменён на диске', 'error');
    document.getElementById('conflict-reload').focus();
  }
  function hideConflict() {
    conflict.hidden = true;
    conflictVersion = null;
  }
  document.getElementById('conflict-reload').addEventListener('click', async function () {
    const mine = cm.getValue();
    const answer = await load();
    if (!answer) return;
    setText(answer);
    document.getElementById('conflict-mine-text').value = mine;
    document.getElementById('conflict-mine').hidden = false;
    document.getElementById('conflict-text').textContent = 'Загружена версия с диска.';
    setStatus('Загружена версия с диска');
  });
  document.getElementById('conflict-overwrite').addEventListener('click', function () {
    save(conflictVersion);
  });
  document.getElementById('conflict-cancel').addEventListener('click', function () {
    hideConflict();
    showDirty();
    cm.focus();
  });

  document.getElementById('save').addEventListener('click', function () { save(); });
  // Ctrl+S (Cmd+S) anywhere on the page, in any keyboard layout.
  window.addEventListener('keydown', function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.code === 'KeyS') {
      event.preventDefault();
      save();
    }
  }, true);
  window.addEventListener('beforeunload', function (event) {
    if (dirty()) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  for (const form of document.querySelectorAll('form[data-form]')) {
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      const fields = {};
      for (const element of form.elements) {
        if (element.name) fields[element.name] = element.value;
      }
      let response;
      let answer;
      try {
        response = await fetch('/api/snippet?form=' + encodeURIComponent(form.dataset.form), {
          method: 'POST',
          body: JSON.stringify({ text: cm.getValue(), fields: fields }),
          headers: { 'Content-Type': 'application/json' },
        });
        answer = await response.json();
      } catch (e) {
        formStatus.textContent = 'Редактор не отвечает: проверьте, что gostdoc serve запущен.';
        formStatus.className = 'error';
        return;
      }
      if (!response.ok) {
        formStatus.textContent = answer.error;
        formStatus.className = 'error';
        return;
      }
      cm.replaceRange(answer.insert, { line: answer.line, ch: answer.ch });
      cm.scrollIntoView({ line: answer.header_line, ch: 0 }, 80);
      cm.setCursor({ line: answer.header_line, ch: 0 });
      form.reset();
      formStatus.className = '';
      formStatus.textContent = 'Добавлено в текст, строка ' + (answer.header_line + 1) + '. Не забудьте сохранить.';
    });
  }

  load().then(function (answer) {
    if (answer) setText(answer);
  });
})();
