/**
 * The script of index.html (plain inline JavaScript, no network): draws the figures with
 * vega-embed at the page's width, builds the per-problem comparison (sortable, filterable) and
 * the paged samples browser, where questions and answers are typeset with KaTeX. Every piece of
 * run text enters the page as a text node (textContent) or through KaTeX with `trust: false`,
 * never as markup.
 */

/** The script, run once the payload (`#report-data`) and the libraries are loaded. */
export const PAGE_SCRIPT = String.raw`
(function () {
  var payload = JSON.parse(document.getElementById('report-data').textContent);

  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = String(text);
    return element;
  }

  // ---- math: $…$, $$…$$, \(…\), \[…\] typeset by KaTeX; everything else stays text ----
  var katexOptions = { throwOnError: true, trust: false, strict: 'ignore', maxSize: 20, maxExpand: 500, output: 'htmlAndMathml' };
  function mathInto(target, tex, display) {
    var span = make('span', display ? 'math display' : 'math');
    try {
      if (typeof katex === 'undefined') throw new Error('no katex');
      katex.render(tex, span, Object.assign({ displayMode: display }, katexOptions));
    } catch (error) {
      span.textContent = tex;
    }
    target.appendChild(span);
  }
  function typeset(target, text) {
    var pattern = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|\$([^$\n]+?)\$/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) target.appendChild(document.createTextNode(text.slice(last, match.index)));
      var display = match[1] !== undefined || match[2] !== undefined;
      mathInto(target, match[1] || match[2] || match[3] || match[4] || '', display);
      last = pattern.lastIndex;
    }
    if (last < text.length) target.appendChild(document.createTextNode(text.slice(last)));
    return target;
  }

  // ---- figures at the width of the page ----
  function fitWidth(spec, element) {
    if (!spec.facet) return spec;
    var columns = spec.columns || 1;
    var width = Math.max(220, Math.floor((element.clientWidth - 60) / columns) - 60);
    var copy = JSON.parse(JSON.stringify(spec));
    copy.spec.width = width;
    return copy;
  }
  var pending = payload.figures.map(function (figure, index) {
    var element = document.getElementById('chart-' + index);
    return vegaEmbed(element, fitWidth(figure.spec, element), { actions: false, renderer: 'svg' }).then(function () {
      element.setAttribute('data-rendered', 'true');
    }).catch(function (error) {
      element.setAttribute('data-rendered', 'error');
      element.textContent = 'This figure could not be drawn: ' + error.message;
      console.error(error);
    });
  });

  // ---- per-problem comparison ----
  // One decimal near 0 and 1, so 1 of 250 reads 0.4%, not 0% (a problem it does solve).
  function percent(value) {
    if (value === null) return 'n/a';
    var near = (value > 0 && value < 0.01) || (value < 1 && value > 0.99);
    return (value * 100).toFixed(near ? 1 : 0) + '%';
  }
  function comparison(block, data) {
    var state = { sort: -1, descending: false, text: '', a: 0, b: Math.min(1, data.cells.length - 1), mode: 'all' };
    var controls = make('div', 'controls');
    var search = make('input');
    search.type = 'search';
    search.placeholder = 'problem id contains…';
    search.className = 'pc-search';
    function picker(selected) {
      var select = make('select');
      data.cells.forEach(function (cell, index) {
        var option = make('option', '', cell.label);
        option.value = String(index);
        if (index === selected) option.selected = true;
        select.appendChild(option);
      });
      return select;
    }
    var pickA = picker(state.a);
    pickA.className = 'pc-a';
    var pickB = picker(state.b);
    pickB.className = 'pc-b';
    var mode = make('select', 'pc-mode');
    [['all', 'all problems'], ['a-not-b', 'A solves, B does not'], ['b-not-a', 'B solves, A does not'], ['none', 'no configuration solves'], ['all-solve', 'every configuration solves']].forEach(function (entry) {
      var option = make('option', '', entry[1]);
      option.value = entry[0];
      mode.appendChild(option);
    });
    var count = make('span', 'pc-count');
    [make('label', '', 'Show '), mode, make('label', '', ' A '), pickA, make('label', '', ' B '), pickB, search, count].forEach(function (part) { controls.appendChild(part); });
    block.appendChild(controls);
    var wrap = make('div', 'table-wrap');
    var table = make('table', 'numbers compare');
    var head = make('thead');
    var headRow = make('tr');
    var headers = [{ label: 'Problem' }].concat(data.cells);
    headers.forEach(function (cell, index) {
      var th = make('th', 'sortable', cell.label);
      th.setAttribute('data-column', String(index - 1));
      if (cell.color) {
        var swatch = make('span', 'swatch');
        swatch.style.background = cell.color;
        th.insertBefore(swatch, th.firstChild);
      }
      th.addEventListener('click', function () {
        state.descending = state.sort === index - 1 ? !state.descending : index > 0;
        state.sort = index - 1;
        draw();
      });
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = make('tbody');
    table.appendChild(body);
    wrap.appendChild(table);
    block.appendChild(wrap);
    function rate(problem, column) {
      var samples = problem[1][column * 2 + 1];
      return samples ? problem[1][column * 2] / samples : null;
    }
    function keep(problem) {
      if (state.text && problem[0].toLowerCase().indexOf(state.text) < 0) return false;
      var a = rate(problem, state.a) || 0;
      var b = rate(problem, state.b) || 0;
      if (state.mode === 'a-not-b') return a > 0 && b === 0;
      if (state.mode === 'b-not-a') return b > 0 && a === 0;
      var rates = data.cells.map(function (_, column) { return rate(problem, column) || 0; });
      if (state.mode === 'none') return rates.every(function (value) { return value === 0; });
      if (state.mode === 'all-solve') return rates.every(function (value) { return value > 0; });
      return true;
    }
    function draw() {
      var rows = data.problems.filter(keep);
      if (state.sort >= 0) {
        rows.sort(function (left, right) {
          var difference = (rate(left, state.sort) || 0) - (rate(right, state.sort) || 0);
          return state.descending ? -difference : difference;
        });
      } else if (state.descending) {
        rows.reverse();
      }
      body.textContent = '';
      rows.forEach(function (problem) {
        var tr = make('tr');
        tr.appendChild(make('td', 'problem-id', problem[0]));
        data.cells.forEach(function (_, column) {
          var value = rate(problem, column);
          var td = make('td', value === null ? '' : value === 0 ? 'zero' : value === 1 ? 'full' : '', percent(value));
          td.title = value === null ? 'no samples' : problem[1][column * 2] + ' of ' + problem[1][column * 2 + 1] + ' samples correct';
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      count.textContent = rows.length + ' of ' + data.problems.length + ' problems';
      block.setAttribute('data-shown', String(rows.length));
    }
    search.addEventListener('input', function () { state.text = search.value.toLowerCase(); draw(); });
    pickA.addEventListener('change', function () { state.a = Number(pickA.value); draw(); });
    pickB.addEventListener('change', function () { state.b = Number(pickB.value); draw(); });
    mode.addEventListener('change', function () { state.mode = mode.value; draw(); });
    draw();
  }
  (payload.problems || []).forEach(function (data, index) {
    var block = document.getElementById('problem-compare-' + index);
    if (block) comparison(block, data);
  });

  // ---- samples browser: every problem, paged ----
  var list = document.getElementById('sample-list');
  if (list) {
    var entries = payload.samples || [];
    var pageSize = Number(list.getAttribute('data-page-size')) || 20;
    var filter = document.getElementById('sample-filter');
    var search = document.getElementById('sample-search');
    var pager = document.getElementById('sample-pager');
    var page = 0;
    function visible() {
      var cell = filter ? filter.value : '';
      var text = search ? search.value.toLowerCase() : '';
      return entries.filter(function (entry) {
        return (cell === '' || entry.cellId === cell) && (text === '' || entry.problem.toLowerCase().indexOf(text) >= 0 || (entry.question || '').toLowerCase().indexOf(text) >= 0);
      });
    }
    function sampleView(sample) {
      var box = make('div', 'sample ' + (sample.correct ? 'correct' : 'wrong'));
      var head = make('div', 'sample-head');
      head.appendChild(document.createTextNode('#' + sample.index + ' · '));
      head.appendChild(make('span', sample.correct ? 'ok' : 'bad', sample.correct ? '✓ correct' : '✗ wrong'));
      head.appendChild(document.createTextNode(' · answer '));
      if (sample.answer === null) head.appendChild(make('em', '', 'no answer'));
      else mathInto(head, sample.answer, false);
      head.appendChild(document.createTextNode(' · '));
      head.appendChild(make('span', 'reason', sample.reason));
      box.appendChild(head);
      if (sample.thinking) {
        var details = make('details', 'thinking');
        details.appendChild(make('summary', '', 'thinking'));
        details.appendChild(make('pre', 'text', sample.thinking));
        box.appendChild(details);
      }
      box.appendChild(make('pre', 'text', sample.text));
      return box;
    }
    function problemView(entry) {
      var details = make('details', 'problem');
      details.setAttribute('data-cell', entry.cellId);
      var correct = entry.samples.filter(function (sample) { return sample.correct; }).length;
      var summary = make('summary');
      summary.appendChild(document.createTextNode(entry.label + ' — '));
      summary.appendChild(make('code', '', entry.problem));
      summary.appendChild(document.createTextNode(' — ' + correct + ' of ' + entry.samples.length + ' shown correct (' + entry.totalSamples + ' samples)'));
      details.appendChild(summary);
      if (entry.question !== undefined) {
        var question = make('div', 'question');
        question.appendChild(make('strong', '', 'Question '));
        details.appendChild(question);
        question.appendChild(typeset(make('div', 'question-text'), entry.question));
      }
      if (entry.gold !== undefined) {
        var gold = make('div', 'gold');
        gold.appendChild(make('strong', '', 'Gold answer '));
        mathInto(gold, entry.gold, false);
        details.appendChild(gold);
      }
      entry.samples.forEach(function (sample) { details.appendChild(sampleView(sample)); });
      return details;
    }
    function draw() {
      var shown = visible();
      var pages = Math.max(1, Math.ceil(shown.length / pageSize));
      page = Math.min(page, pages - 1);
      list.textContent = '';
      shown.slice(page * pageSize, (page + 1) * pageSize).forEach(function (entry) { list.appendChild(problemView(entry)); });
      if (pager) {
        pager.textContent = '';
        var previous = make('button', '', '← previous');
        previous.type = 'button';
        previous.disabled = page === 0;
        previous.addEventListener('click', function () { page -= 1; draw(); });
        var next = make('button', '', 'next →');
        next.type = 'button';
        next.disabled = page >= pages - 1;
        next.addEventListener('click', function () { page += 1; draw(); });
        pager.appendChild(previous);
        pager.appendChild(make('span', 'page-of', ' page ' + (page + 1) + ' of ' + pages + ' (' + shown.length + ' problems) '));
        pager.appendChild(next);
      }
    }
    if (filter) filter.addEventListener('change', function () { page = 0; draw(); });
    if (search) search.addEventListener('input', function () { page = 0; draw(); });
    draw();
  }

  Promise.all(pending).then(function () { document.body.setAttribute('data-charts', 'done'); });
})();
`;
