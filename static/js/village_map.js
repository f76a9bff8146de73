/*
 * Village status map (Leaflet, no tile layer, no network beyond same-origin JSON).
 *
 * Page contract:
 *   <div id="village-map" data-mode="status|coverage"
 *        data-geojson-url="…villages.geojson" data-districts-url="…districts.geojson"
 *        data-status-url="…" data-village-url-template="/desa/__code__/"
 *        data-error-text="…"></div>
 *   <form id="village-filter" method="get">…</form>            (optional)
 *   <p id="village-map-summary" aria-live="polite"
 *      data-summary-template="{match} dari {total} desa sesuai filter"></p>  (optional)
 *
 * Coverage mode (data-mode="coverage"): each kecamatan filled by its share of zona merah villages with an
 * active KIM (the status answer's `districts`), each zona merah village outlined green (covered) or red.
 *
 * Requires leaflet.js (global L) to be loaded before this file. CSP-safe: no inline
 * scripts, no eval, untrusted text only ever set with textContent.
 */
(function () {
  'use strict';

  const COLORS = {
    has_kim: '#198754',
    red_zone: '#dc3545',
    binaan: '#fd7e14',
    other: '#6c8ebf',
    no_match: '#e9ecef',
  };
  // Legend order (same precedence as the colouring).
  const LEGEND_KEYS = ['has_kim', 'red_zone', 'binaan', 'other', 'no_match'];
  const COVERAGE_COLORS = {
    covered: '#198754',
    uncovered: '#dc3545',
    share_none: '#e9ecef',
    share_0: '#dc3545',
    share_low: '#fd7e14',
    share_high: '#ffc107',
    share_all: '#198754',
  };
  const COVERAGE_KEYS = ['share_all', 'share_high', 'share_low', 'share_0', 'share_none', 'covered', 'uncovered'];

  function shareKey(district) {
    if (!district || !district.red_zone) return 'share_none';
    if (district.covered === district.red_zone) return 'share_all';
    if (district.covered === 0) return 'share_0';
    return district.covered * 2 >= district.red_zone ? 'share_high' : 'share_low';
  }
  const ATTRIBUTION = 'Boundaries: cahyadsn/wilayah_boundaries (MIT)';

  function hasMentor(status) {
    return status.mentor !== null && status.mentor !== undefined && status.mentor !== '';
  }

  function categoryOf(status) {
    if (!status) return 'other';
    if (status.has_kim) return 'has_kim';
    if (status.red_zone) return 'red_zone';
    if (hasMentor(status)) return 'binaan';
    return 'other';
  }

  function isMatch(status) {
    // A village missing from the status answer is treated as matching (drawn normally).
    return !status || status.match !== false;
  }

  function fetchJSON(url, signal) {
    return fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      signal: signal,
    }).then((response) => {
      if (!response.ok) {
        throw new Error(`HTTP ${response.status} for ${url}`);
      }
      return response.json();
    });
  }

  function joinQuery(url, query) {
    if (!query) return url;
    return url + (url.indexOf('?') === -1 ? '?' : '&') + query;
  }

  function formQuery(form) {
    if (!form) return '';
    return new URLSearchParams(new FormData(form)).toString();
  }

  function init() {
    const mapEl = document.getElementById('village-map');
    if (!mapEl || typeof window.L === 'undefined') return;
    const L = window.L;

    const form = document.getElementById('village-filter');
    const summaryEl = document.getElementById('village-map-summary');
    const data = mapEl.dataset;
    const urlTemplate = data.villageUrlTemplate || '';
    const errorText = data.errorText || 'Map data could not be loaded.';

    const coverage = data.mode === 'coverage';
    let statusByCode = {};
    let districtByCode = {};
    let districtLayer = null;
    let legendLabels = {};
    let villageLayer = null;
    let legendControl = null;
    let ready = false; // geometry drawn; from then on the form is handled here
    let requestSeq = 0;
    let currentAbort = null;

    const map = L.map(mapEl, {
      zoomControl: true,
      attributionControl: true,
      zoomSnap: 0.25,
      minZoom: 8,
      maxZoom: 16,
    });
    // A view is needed before fitBounds; roughly Purbalingga until the data arrives.
    map.setView([-7.33, 109.37], 10);

    // Kecamatan outlines above the villages, never catching pointer events; in coverage mode, filled below.
    const districtPane = map.createPane('districtOutlines');
    districtPane.style.zIndex = coverage ? '350' : '450';
    districtPane.style.pointerEvents = 'none';

    function showSummaryText(text) {
      if (summaryEl) summaryEl.textContent = text;
    }

    function showError(err) {
      if (err && err.name === 'AbortError') return;
      if (window.console) console.error('village_map:', err);
      mapEl.setAttribute('aria-busy', 'false');
      showSummaryText(errorText);
    }

    function updateSummary(year) {
      if (!summaryEl) return;
      if (coverage) {
        const codes = Object.keys(districtByCode);
        const sum = (key) => codes.reduce((total, code) => total + districtByCode[code][key], 0);
        summaryEl.textContent = (summaryEl.dataset.summaryTemplate || '{covered} / {red_zone}')
          .split('{covered}').join(String(sum('covered')))
          .split('{red_zone}').join(String(sum('red_zone')))
          .split('{year}').join(year === undefined || year === null ? '' : String(year));
        return;
      }
      const codes = Object.keys(statusByCode);
      const total = codes.length;
      const match = codes.filter((code) => isMatch(statusByCode[code])).length;
      const template = summaryEl.dataset.summaryTemplate || '{match} / {total}';
      summaryEl.textContent = template
        .split('{match}').join(String(match))
        .split('{total}').join(String(total))
        .split('{year}').join(year === undefined || year === null ? '' : String(year));
    }

    function coverageStyleFor(feature) {
      const status = statusByCode[feature.properties.code];
      if (!status || !status.red_zone) {
        return { color: '#ffffff', weight: 0.6, opacity: 0.8, fillOpacity: 0 };
      }
      const key = status.active_kim ? 'covered' : 'uncovered';
      return { color: COVERAGE_COLORS[key], weight: 2.5, opacity: 1, fillColor: COVERAGE_COLORS[key], fillOpacity: 0.15 };
    }

    function districtStyleFor(feature) {
      if (!coverage) return { color: '#343a40', weight: 1.2, opacity: 0.9, fill: false };
      const key = shareKey(districtByCode[feature.properties.code]);
      return { color: '#343a40', weight: 1.2, opacity: 0.9, fillColor: COVERAGE_COLORS[key], fillOpacity: 0.55 };
    }

    function styleFor(feature) {
      if (coverage) return coverageStyleFor(feature);
      const status = statusByCode[feature.properties.code];
      if (!isMatch(status)) {
        return {
          color: '#ffffff',
          weight: 0.8,
          opacity: 0.6,
          fillColor: COLORS.no_match,
          fillOpacity: 0.35,
        };
      }
      return {
        color: '#ffffff',
        weight: 1,
        opacity: 1,
        fillColor: COLORS[categoryOf(status)],
        fillOpacity: 0.6,
      };
    }

    function statusWords(status) {
      const words = [];
      if (!status) return words;
      if (coverage) {
        if (status.red_zone) words.push(legendLabels[status.active_kim ? 'covered' : 'uncovered']);
        return words.filter(Boolean);
      }
      if (status.has_kim && legendLabels.has_kim) words.push(legendLabels.has_kim);
      if (status.red_zone && legendLabels.red_zone) words.push(legendLabels.red_zone);
      if (hasMentor(status) && legendLabels.binaan) {
        // The mentor name is data, never markup: it ends up in a text node.
        words.push(`${legendLabels.binaan} (${status.mentor})`);
      }
      if (categoryOf(status) === 'other' && legendLabels.other) words.push(legendLabels.other);
      if (status.match === false && legendLabels.no_match) words.push(legendLabels.no_match);
      return words;
    }

    function tooltipContent(layer) {
      const props = layer.feature.properties;
      const box = document.createElement('div');
      const name = document.createElement('strong');
      name.textContent = props.name || props.code || '';
      box.appendChild(name);
      const words = statusWords(statusByCode[props.code]);
      if (words.length) {
        box.appendChild(document.createElement('br'));
        box.appendChild(document.createTextNode(words.join(', ')));
      }
      return box;
    }

    function onEachVillage(feature, layer) {
      layer.bindTooltip(tooltipContent, { sticky: false, direction: 'top', opacity: 0.95 });
      layer.on('mouseover', () => {
        layer.setStyle({ weight: 2.5, color: '#212529' });
        layer.bringToFront();
      });
      layer.on('mouseout', () => {
        if (villageLayer) villageLayer.resetStyle(layer);
      });
      layer.on('click', () => {
        const code = feature.properties.code;
        if (!code || !urlTemplate) return;
        window.location.assign(urlTemplate.split('__code__').join(encodeURIComponent(code)));
      });
    }

    function buildLegend() {
      if (legendControl) map.removeControl(legendControl);
      legendControl = L.control({ position: 'bottomright' });
      legendControl.onAdd = () => {
        const box = L.DomUtil.create('div', 'leaflet-control village-map-legend');
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        const list = document.createElement('ul');
        (coverage ? COVERAGE_KEYS : LEGEND_KEYS).forEach((key) => {
          if (!legendLabels[key]) return;
          const item = document.createElement('li');
          const swatch = document.createElement('span');
          swatch.className = 'legend-swatch';
          swatch.setAttribute('aria-hidden', 'true');
          swatch.style.backgroundColor = (coverage ? COVERAGE_COLORS : COLORS)[key];
          if (key === 'no_match' || key === 'share_none') swatch.style.border = '1px solid #adb5bd';
          item.appendChild(swatch);
          item.appendChild(document.createTextNode(legendLabels[key]));
          list.appendChild(item);
        });
        box.appendChild(list);
        return box;
      };
      legendControl.addTo(map);
    }

    function applyStatus(payload) {
      const oldLabels = JSON.stringify(legendLabels);
      statusByCode = (payload && payload.villages) || {};
      districtByCode = (payload && payload.districts) || {};
      legendLabels = (payload && (coverage ? payload.coverage_legend : payload.legend)) || {};
      if (villageLayer) villageLayer.setStyle(styleFor);
      if (districtLayer) districtLayer.setStyle(districtStyleFor);
      if (!legendControl || JSON.stringify(legendLabels) !== oldLabels) buildLegend();
      mapEl.setAttribute('aria-busy', 'false');
      updateSummary(payload ? payload.year : undefined);
    }

    function loadStatus() {
      if (currentAbort) currentAbort.abort();
      currentAbort = typeof AbortController === 'function' ? new AbortController() : null;
      const seq = ++requestSeq;
      if (!data.statusUrl) return Promise.reject(new Error('data-status-url is missing'));
      mapEl.setAttribute('aria-busy', 'true');
      return fetchJSON(
        joinQuery(data.statusUrl, formQuery(form)),
        currentAbort ? currentAbort.signal : undefined
      ).then((payload) => {
        if (seq === requestSeq) applyStatus(payload);
      });
    }

    function updateBrowserUrl() {
      if (!form || !window.history || !window.history.replaceState) return;
      const query = formQuery(form);
      const url = window.location.pathname + (query ? `?${query}` : '') + window.location.hash;
      window.history.replaceState(window.history.state, '', url);
    }

    function onFilterChange() {
      updateBrowserUrl();
      loadStatus().catch(showError);
    }

    if (form) {
      form.addEventListener('submit', (event) => {
        // Until the map works, let the form submit the ordinary way.
        if (!ready) return;
        event.preventDefault();
        onFilterChange();
      });
      form.addEventListener('change', () => {
        if (ready) onFilterChange();
      });
    }

    // Status and geometry load in parallel; styleFor() reads whatever status is there.
    loadStatus().catch(showError);
    const districtsPromise = data.districtsUrl
      ? fetchJSON(data.districtsUrl).catch((err) => {
          // Outlines are decoration: the map still works without them.
          if (window.console) console.warn('village_map: kecamatan outlines not loaded', err);
          return null;
        })
      : Promise.resolve(null);

    Promise.all([fetchJSON(data.geojsonUrl), districtsPromise])
      .then(([villages, districts]) => {
        villageLayer = L.geoJSON(villages, {
          style: styleFor,
          onEachFeature: onEachVillage,
          attribution: ATTRIBUTION,
        }).addTo(map);

        if (districts) {
          districtLayer = L.geoJSON(districts, {
            pane: 'districtOutlines',
            interactive: false,
            style: districtStyleFor,
          }).addTo(map);
        }

        const bounds = villageLayer.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [8, 8] });
          map.setMaxBounds(bounds.pad(0.5));
        }
        ready = true;
      })
      .catch(showError);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
