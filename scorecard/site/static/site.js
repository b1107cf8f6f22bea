/* scorecard site: explorable maps, a sortable and searchable league table, authority search.
 *
 * Plain JavaScript with no library and no network request: each page carries its data in
 * <script type="application/json"> blocks, so the site works from file:// as from a host.
 * Maps are inline SVG; zoom and pan change the viewBox; every class and display text is
 * worked out when the site is built, so nothing here computes a figure.
 */
(function () {
  'use strict';

  function readJson(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // ------------------------------------------------------------------ explorable maps

  var MAX_ZOOM = 40;
  var NICE_METRES = [50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000];

  function MapWidget(root) {
    var data = readJson(root.getAttribute('data-json'));
    var svg = root.querySelector('svg.map-svg');
    var frame = root.querySelector('.map-frame');
    var tip = root.querySelector('.map-tip');
    var hint = root.querySelector('.map-hint');
    var legend = root.querySelector('.map-legend');
    var select = root.querySelector('select.map-layer');
    var levelInputs = root.querySelectorAll('input.map-level');
    var overlayInput = root.querySelector('input.map-overlay');
    var overlay = svg.querySelector('.overlay');
    var highlight = svg.querySelector('path.highlight');
    var scaleBar = root.querySelector('.map-scale-bar');
    var scaleLabel = root.querySelector('.map-scale-label');
    var layers = {};
    data.layers.forEach(function (layer) { layers[layer.id] = layer; });
    var groups = {};
    Array.prototype.forEach.call(svg.querySelectorAll('g.units'), function (g) {
      groups[g.getAttribute('data-level')] = g;
    });
    var state = { layer: select ? select.value : data.default_layer, level: data.default_level,
                  pinned: null, lastPointer: 'mouse' };
    var box0 = svg.viewBox.baseVal;
    var home = { x: box0.x, y: box0.y, w: box0.width, h: box0.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };

    // -- colours and legend
    function fillFor(code, layer) {
      if (code === 'n') { return 'url(#hatch-none)'; }
      if (code === 's') { return 'url(#hatch-suppressed)'; }
      if (code === 'x') { return 'url(#hatch-missing)'; }
      if (code === 'r') { return 'url(#hatch-unranked)'; }
      return layer.colours[+code];
    }

    function recolour() {
      var level = data.levels[state.level];
      var entry = level.layers[state.layer];
      var layer = layers[state.layer];
      if (!entry) { return; }
      var paths = groups[state.level].querySelectorAll('path[data-i]');
      Array.prototype.forEach.call(paths, function (path) {
        path.setAttribute('fill', fillFor(entry.c.charAt(+path.getAttribute('data-i')), layer));
      });
    }

    function drawLegend() {
      var level = data.levels[state.level];
      var entry = level.layers[state.layer];
      legend.textContent = '';
      if (entry) {
        var layer = layers[state.layer];
        legend.appendChild(el('p', 'legend-title', layer.label));
        var list = el('ul');
        layer.colours.forEach(function (colour, k) {
          if (!entry.legend[k]) { return; }
          var item = el('li');
          var swatch = el('span', 'swatch');
          swatch.style.background = colour;
          item.appendChild(swatch);
          item.appendChild(document.createTextNode(entry.legend[k]));
          list.appendChild(item);
        });
        [['n', 'hatch-none', 'No value'],
         ['s', 'hatch-suppressed', '[c] suppressed: a count under 10'],
         ['x', 'hatch-missing', '[x] not available: ' + (entry.missing || 'not in the source')],
         ['r', 'hatch-unranked', 'Not ranked: too few residents of the group to rank']
        ].forEach(function (extra) {
          if (entry.c.indexOf(extra[0]) < 0) { return; }
          var item = el('li');
          item.appendChild(el('span', 'swatch ' + extra[1]));
          item.appendChild(document.createTextNode(extra[2]));
          list.appendChild(item);
        });
        legend.appendChild(list);
        legend.appendChild(el('p', 'legend-method', 'Classes: ' + entry.method + '.'));
      }
      if (level.note) { legend.appendChild(el('p', 'legend-note', level.note)); }
    }

    // -- tooltip
    function tipContent(i) {
      var level = data.levels[state.level];
      tip.textContent = '';
      var name = el('p', 'tip-name');
      name.appendChild(el('strong', null, level.names[i]));
      name.appendChild(document.createTextNode(' '));
      name.appendChild(el('span', 'tip-code', level.codes[i]));
      tip.appendChild(name);
      if (level.info && level.info[i]) { tip.appendChild(el('p', 'tip-info', level.info[i])); }
      var list = el('dl');
      var byGroup = {};
      data.layers.forEach(function (layer) {
        var entry = level.layers[layer.id];
        if (!entry) { return; }
        var dd = byGroup[layer.group];
        if (!dd) {
          list.appendChild(el('dt', null, layer.group));
          dd = byGroup[layer.group] = el('dd');
          list.appendChild(dd);
        }
        dd.appendChild(el('span', layer.id === state.layer ? 'current' : null,
                          layer.short + ' ' + entry.t[i]));
      });
      if (list.childNodes.length) { tip.appendChild(list); }
      if (level.tip) { tip.appendChild(el('p', 'tip-note', level.tip)); }
      if (level.links && level.links[i] && state.pinned !== null) {
        var link = el('a', 'tip-link', 'Open the page of ' + level.names[i]);
        link.href = level.links[i];
        tip.appendChild(link);
      }
      if (state.pinned !== null) {
        var close = el('button', 'tip-close', '×');
        close.type = 'button';
        close.setAttribute('aria-label', 'Close');
        close.addEventListener('click', function (event) { event.stopPropagation(); unpin(); });
        tip.appendChild(close);
      }
    }

    function placeTip(clientX, clientY) {
      var box = frame.getBoundingClientRect();
      tip.hidden = false;
      var x = clientX - box.left + 14;
      var y = clientY - box.top + 14;
      if (x + tip.offsetWidth > box.width - 4) { x = Math.max(4, clientX - box.left - tip.offsetWidth - 14); }
      if (y + tip.offsetHeight > box.height - 4) { y = Math.max(4, clientY - box.top - tip.offsetHeight - 14); }
      tip.style.left = x + 'px';
      tip.style.top = y + 'px';
    }

    function pathOf(target) {
      var path = target && target.closest ? target.closest('path[data-i]') : null;
      return path && groups[state.level].contains(path) ? path : null;
    }

    function show(path, clientX, clientY) {
      var i = +path.getAttribute('data-i');
      highlight.setAttribute('d', path.getAttribute('d'));
      tipContent(i);
      placeTip(clientX, clientY);
    }

    function hide() {
      if (state.pinned !== null) { return; }
      tip.hidden = true;
      highlight.setAttribute('d', '');
    }

    function pin(path, clientX, clientY) {
      state.pinned = +path.getAttribute('data-i');
      tip.classList.add('pinned');
      show(path, clientX, clientY);
    }

    function unpin() {
      state.pinned = null;
      tip.classList.remove('pinned');
      hide();
    }

    function centreOf(path) {
      var box = path.getBoundingClientRect();
      return [box.left + box.width / 2, box.top + box.height / 2];
    }

    // -- pan and zoom (the viewBox), with the scale bar following it
    function scale() {
      var box = svg.getBoundingClientRect();
      return Math.min(box.width / view.w, box.height / view.h);  // CSS px per SVG unit
    }

    function apply() {
      svg.setAttribute('viewBox', [view.x, view.y, view.w, view.h].join(' '));
      var metresPerPixel = data.metres_per_unit / scale();
      if (!isFinite(metresPerPixel) || metresPerPixel <= 0) { return; }
      var metres = NICE_METRES[0];
      NICE_METRES.forEach(function (m) { if (m / metresPerPixel <= 120) { metres = m; } });
      scaleBar.style.width = Math.round(metres / metresPerPixel) + 'px';
      scaleLabel.textContent = metres >= 1000 ? (metres / 1000) + ' km' : metres + ' m';
    }

    function toSvg(clientX, clientY) {
      var box = svg.getBoundingClientRect();
      var s = scale();
      var offsetX = (box.width - view.w * s) / 2;
      var offsetY = (box.height - view.h * s) / 2;
      return { x: view.x + (clientX - box.left - offsetX) / s,
               y: view.y + (clientY - box.top - offsetY) / s };
    }

    function clamp() {
      var cx = Math.min(Math.max(view.x + view.w / 2, home.x), home.x + home.w);
      var cy = Math.min(Math.max(view.y + view.h / 2, home.y), home.y + home.h);
      view.x = cx - view.w / 2;
      view.y = cy - view.h / 2;
    }

    function zoomAt(factor, clientX, clientY) {
      var box = svg.getBoundingClientRect();
      if (clientX === undefined) {
        clientX = box.left + box.width / 2;
        clientY = box.top + box.height / 2;
      }
      var p = toSvg(clientX, clientY);
      var w = Math.min(home.w, Math.max(home.w / MAX_ZOOM, view.w / factor));
      var ratio = w / view.w;
      view.x = p.x - (p.x - view.x) * ratio;
      view.y = p.y - (p.y - view.y) * ratio;
      view.w = w;
      view.h = home.h * (w / home.w);
      clamp();
      apply();
      if (state.pinned === null) { hide(); }
    }

    function panBy(dxPixels, dyPixels) {
      var s = scale();
      view.x -= dxPixels / s;
      view.y -= dyPixels / s;
      clamp();
      apply();
    }

    function reset() {
      view = { x: home.x, y: home.y, w: home.w, h: home.h };
      apply();
    }

    root.querySelector('.map-zoom-in').addEventListener('click', function () { zoomAt(1.6); });
    root.querySelector('.map-zoom-out').addEventListener('click', function () { zoomAt(1 / 1.6); });
    root.querySelector('.map-zoom-reset').addEventListener('click', reset);

    var hintTimer = null;
    svg.addEventListener('wheel', function (event) {
      if (!(event.ctrlKey || event.metaKey)) {
        hint.hidden = false;
        clearTimeout(hintTimer);
        hintTimer = setTimeout(function () { hint.hidden = true; }, 1200);
        return;
      }
      event.preventDefault();
      hint.hidden = true;
      zoomAt(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002)),
             event.clientX, event.clientY);
    }, { passive: false });

    // Pointers: a drag pans, two pointers pinch-zoom, a tap or click pins the tooltip.
    var pointers = {};
    var drag = null;
    function pointerList() { return Object.keys(pointers).map(function (k) { return pointers[k]; }); }
    function spread(list) { return Math.hypot(list[0].x - list[1].x, list[0].y - list[1].y); }

    svg.addEventListener('pointerdown', function (event) {
      state.lastPointer = event.pointerType || 'mouse';
      if (event.button !== undefined && event.button !== 0) { return; }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var list = pointerList();
      drag = { x: event.clientX, y: event.clientY, moved: false, pinch: list.length === 2 ? spread(list) : 0 };
    });
    svg.addEventListener('pointermove', function (event) {
      if (pointers[event.pointerId] && drag) {
        var last = pointers[event.pointerId];
        pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
        var list = pointerList();
        if (list.length === 2 && drag.pinch) {
          var now = spread(list);
          zoomAt(now / drag.pinch, (list[0].x + list[1].x) / 2, (list[0].y + list[1].y) / 2);
          drag.pinch = now;
          drag.moved = true;
          return;
        }
        if (!drag.moved && Math.hypot(event.clientX - drag.x, event.clientY - drag.y) > 4) {
          drag.moved = true;
          svg.classList.add('dragging');
          if (svg.setPointerCapture) { svg.setPointerCapture(event.pointerId); }
        }
        if (drag.moved) {
          panBy(event.clientX - last.x, event.clientY - last.y);
          return;
        }
      }
      if (state.pinned !== null || event.pointerType === 'touch') { return; }
      var path = pathOf(event.target);
      if (path) { show(path, event.clientX, event.clientY); } else { hide(); }
    });
    function release(event) {
      delete pointers[event.pointerId];
      if (!pointerList().length) {
        svg.classList.remove('dragging');
        if (drag && drag.moved) { drag.suppressClick = true; }
      }
    }
    svg.addEventListener('pointerup', release);
    svg.addEventListener('pointercancel', release);
    svg.addEventListener('pointerleave', function (event) {
      if (!pointers[event.pointerId]) { hide(); }
    });
    svg.addEventListener('click', function (event) {
      if (drag && drag.suppressClick) {
        drag = null;
        event.preventDefault();
        return;
      }
      drag = null;
      var path = pathOf(event.target);
      if (!path) { unpin(); return; }
      var i = +path.getAttribute('data-i');
      var inLink = event.target.closest && event.target.closest('a');
      // A mouse click on a linked area follows the link; a first tap shows its values.
      if (inLink && state.lastPointer === 'mouse') { return; }
      if (inLink && state.pinned === i) { return; }
      event.preventDefault();
      if (state.pinned === i) { unpin(); return; }
      pin(path, event.clientX, event.clientY);
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && state.pinned !== null) { unpin(); }
    });
    document.addEventListener('click', function (event) {
      if (state.pinned !== null && !root.contains(event.target)) { unpin(); }
    });
    svg.addEventListener('keydown', function (event) {
      var step = 60;
      var handled = true;
      if (event.key === '+' || event.key === '=') { zoomAt(1.6); }
      else if (event.key === '-' || event.key === '_') { zoomAt(1 / 1.6); }
      else if (event.key === '0') { reset(); }
      else if (event.key === 'ArrowLeft') { panBy(step, 0); }
      else if (event.key === 'ArrowRight') { panBy(-step, 0); }
      else if (event.key === 'ArrowUp') { panBy(0, step); }
      else if (event.key === 'ArrowDown') { panBy(0, -step); }
      else { handled = false; }
      if (handled) { event.preventDefault(); }
    });
    // Keyboard users reach linked areas (the national map) with Tab: show their values.
    svg.addEventListener('focusin', function (event) {
      if (event.target === svg) { return; }  // the map itself: keys zoom and pan
      var path = event.target.querySelector ? event.target.querySelector('path[data-i]') : null;
      if (path && state.pinned === null) {
        var centre = centreOf(path);
        show(path, centre[0], centre[1]);
      }
    });
    svg.addEventListener('focusout', function () { hide(); });

    // -- controls
    if (select) {
      select.addEventListener('change', function () {
        state.layer = select.value;
        recolour();
        drawLegend();
        if (state.pinned !== null) { tipContent(state.pinned); }
      });
    }
    Array.prototype.forEach.call(levelInputs, function (input) {
      input.addEventListener('change', function () {
        if (!input.checked) { return; }
        unpin();
        state.level = input.value;
        Object.keys(groups).forEach(function (key) {
          groups[key].classList.toggle('off', key !== state.level);
        });
        var hasValues = Object.keys(data.levels[state.level].layers).length > 0;
        if (select) { select.disabled = !hasValues; }
        recolour();
        drawLegend();
      });
    });
    if (overlayInput && overlay) {
      overlayInput.addEventListener('change', function () {
        overlay.classList.toggle('off', !overlayInput.checked);
      });
    }
    window.addEventListener('resize', apply);
    recolour();
    drawLegend();
    apply();
  }

  // ------------------------------------------------------------------ sortable table

  function SortableTable(table) {
    var headers = table.querySelectorAll('thead th');
    var body = table.tBodies[0];
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = th.querySelector('button');
      if (!button) { return; }
      button.addEventListener('click', function () {
        var numeric = button.getAttribute('data-type') === 'num';
        var current = th.getAttribute('aria-sort');
        // Numbers sort from the highest first, names from A; a second click reverses.
        var descending = current ? current === 'ascending' : numeric;
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, index) {
          var raw = row.cells[column].getAttribute('data-v');
          var value = numeric ? (raw === '' ? NaN : parseFloat(raw)) : (raw || '').toLowerCase();
          return { row: row, value: value, index: index };
        });
        keyed.sort(function (a, b) {
          var empty = (numeric && isNaN(a.value)) - (numeric && isNaN(b.value));
          if (empty) { return empty; }  // rows without a value always last
          var order = numeric ? a.value - b.value : a.value.localeCompare(b.value, 'en-GB');
          return (descending ? -order : order) || a.index - b.index;
        });
        keyed.forEach(function (item) { body.appendChild(item.row); });
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      });
    });
  }

  function TableFilter(input) {
    var table = document.getElementById(input.getAttribute('data-table'));
    var count = document.getElementById('league-count');
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.getAttribute('data-search');
        var match = words.every(function (word) { return text.indexOf(word) >= 0; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      var total = table.tBodies[0].rows.length;
      if (count) {
        count.textContent = shown === total ? 'Showing all ' + total + ' local authorities'
          : 'Showing ' + shown + ' of ' + total + ' local authorities';
      }
    });
  }

  // ------------------------------------------------------------------ authority search

  function normalise(text) {
    return text.toLowerCase().replace(/&/g, ' and ').replace(/[^a-z0-9]+/g, ' ').trim();
  }

  function Search(form) {
    var authorities = readJson(form.getAttribute('data-json')) || [];
    var input = form.querySelector('input');
    var message = form.querySelector('.search-message');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var query = normalise(input.value);
      if (!query) { message.textContent = 'Type the name or code of a local authority.'; return; }
      var exact = authorities.filter(function (a) {
        return normalise(a[1]) === query || a[0].toLowerCase() === query;
      });
      var found = exact.length ? exact : authorities.filter(function (a) {
        return normalise(a[1]).indexOf(query) >= 0;
      });
      if (found.length === 1) {
        var la = found[0];
        if (la[2]) {
          message.textContent = 'Opening ' + la[1] + '…';
          window.location.href = la[2];
        } else {
          message.textContent = 'This site has no page for ' + la[1] + ' yet; the league ' +
            'table and the national downloads have its figures.';
        }
      } else if (found.length > 1) {
        message.textContent = found.length + ' local authorities match: ' +
          found.slice(0, 6).map(function (a) { return a[1]; }).join(', ') +
          (found.length > 6 ? ' …' : '') + '. Type more of the name.';
      } else {
        message.textContent = 'No local authority of England and Wales is called "' +
          input.value + '".';
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('.map-widget'), MapWidget);
    Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), SortableTable);
    Array.prototype.forEach.call(document.querySelectorAll('input.table-filter'), TableFilter);
    Array.prototype.forEach.call(document.querySelectorAll('form.la-search'), Search);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
