/* The chain map: the chain's segments as a tree, coloured by how well local firms cover each (缺链 red,
   弱链 orange, 强链 green), the firms on each as blue leaves; a click on a firm opens its file, on a segment
   its page. */
(function () {
  var el = document.getElementById('chain-map');
  var data = document.getElementById('chain-tree');
  if (!el || !data || !window.echarts) { return; }
  var tree = JSON.parse(data.textContent);
  var firmUrl = el.getAttribute('data-firm-url');
  var segUrl = el.getAttribute('data-segment-url');
  var leaves = 0;
  (function count(n) { if (!n.children || !n.children.length) { leaves += 1; } (n.children || []).forEach(count); })(tree);
  el.style.height = Math.max(360, Math.min(4000, leaves * 22)) + 'px';
  var chart = echarts.init(el, null, {renderer: 'svg'});
  var narrow = el.clientWidth < 640;
  chart.setOption({
    animation: false,
    tooltip: {trigger: 'item', triggerOn: 'mousemove'},
    series: [{type: 'tree', data: [tree], top: 10, bottom: 10, left: narrow ? 60 : 120, right: narrow ? 110 : 220,
              orient: 'LR', initialTreeDepth: -1, expandAndCollapse: false, symbolSize: 9, roam: narrow,
              label: {position: 'left', verticalAlign: 'middle', align: 'right', fontSize: 12},
              leaves: {label: {position: 'right', verticalAlign: 'middle', align: 'left'}}}]
  });
  chart.on('click', function (p) {
    var d = p.data || {};
    if (d.firm) { window.location.href = firmUrl.replace('{id}', d.firm); }
    else if (d.id && d.id.charAt(0) === 's') { window.location.href = segUrl.replace('{id}', d.id.slice(1)); }
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
/* The candidate sites on the zone's map: a pin per site coloured by its land status (chosen: larger, green). */
(function () {
  var el = document.getElementById('sites-map');
  var data = document.getElementById('sites-data');
  if (!el || !data || !window.echarts) { return; }
  var sites = JSON.parse(data.textContent);
  var colours = {clean: '#198754', to_acquire: '#fd7e14', rezoning: '#dc3545', sold: '#6c757d'};
  fetch(el.getAttribute('data-map-url'), {credentials: 'same-origin'}).then(function (r) { return r.json(); })
    .then(function (geo) {
      echarts.registerMap('zone', geo);
      var chart = echarts.init(el, null, {renderer: 'svg'});
      chart.setOption({
        animation: false,
        tooltip: {trigger: 'item', formatter: function (p) {
          return p.data && p.data.label ? p.data.label : p.name;
        }},
        geo: {map: 'zone', roam: true, label: {show: true, color: '#4a5670', fontSize: 11},
              itemStyle: {areaColor: '#eef3fa', borderColor: '#8aa2c8'}},
        series: [{type: 'scatter', coordinateSystem: 'geo',
                  data: sites.map(function (s) {
                    return {name: s.name, value: [s.lng, s.lat], label: s.label, symbolSize: s.chosen ? 18 : 11,
                            itemStyle: {color: colours[s.status] || '#888', borderColor: '#fff', borderWidth: 1}};
                  })}]});
      window.addEventListener('resize', function () { chart.resize(); });
    });
})();
