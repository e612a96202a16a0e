/* The cockpit: a sparkline in every figure that has a trend (the last twelve months), and, on the wall, the
   page brought up to date every few minutes. */
(function () {
  if (!window.echarts) { return; }
  var charts = [];
  var dark = document.body.classList.contains('ys-wall');
  document.querySelectorAll('.ys-spark').forEach(function (el) {
    var data = (el.getAttribute('data-spark') || '').split(',').map(function (v) {
      return v === '' || v === 'None' ? null : Number(v);
    });
    var c = echarts.init(el, null, {renderer: 'svg'});
    c.setOption({animation: false, grid: {left: 0, right: 0, top: 2, bottom: 2},
      xAxis: {type: 'category', show: false, data: data.map(function (_, i) { return i; })},
      yAxis: {type: 'value', show: false, scale: true},
      series: [{type: 'line', data: data, symbol: 'none', smooth: true, connectNulls: true,
                lineStyle: {width: 1.5, color: dark ? '#6fd3ff' : '#0f3d7a'},
                areaStyle: {color: dark ? 'rgba(111,211,255,.15)' : 'rgba(15,61,122,.08)'}}]});
    charts.push(c);
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  var refresh = document.body.getAttribute('data-refresh');
  if (refresh) { setTimeout(function () { window.location.reload(); }, Number(refresh) * 1000); }
})();
/* The map of the zone: its areas (shipped with the platform) shaded by the problems registered in the
   period, the major projects as pins coloured by their light; a pin opens its project. */
(function () {
  var el = document.getElementById('zone-map');
  var data = document.getElementById('zone-map-data');
  if (!el || !data || !window.echarts) { return; }
  data = JSON.parse(data.textContent);
  var dark = document.body.classList.contains('ys-wall');
  var colours = {green: '#2e9d5b', yellow: '#e0a400', red: '#c8372d'};
  fetch(el.getAttribute('data-map-url'), {credentials: 'same-origin'}).then(function (r) { return r.json(); })
    .then(function (geo) {
      echarts.registerMap('zone', geo);
      var chart = echarts.init(el, null, {renderer: 'svg'});
      var top = Math.max.apply(null, data.areas.map(function (a) { return a.value; }).concat([1]));
      chart.setOption({
        tooltip: {trigger: 'item', formatter: function (p) {
          return p.seriesType === 'scatter' ? p.name + '<br>' + p.value[2] : p.name + ' · ' + (p.value || 0);
        }},
        visualMap: {min: 0, max: top, left: 8, bottom: 8, calculable: false, seriesIndex: 0,
                    textStyle: {color: dark ? '#dfe8f7' : '#333'},
                    inRange: {color: dark ? ['#10284d', '#2e6bd1'] : ['#eef3fa', '#5b86c5']}},
        geo: {map: 'zone', roam: true, label: {show: true, color: dark ? '#dfe8f7' : '#4a5670', fontSize: 11},
              itemStyle: {borderColor: dark ? '#6fd3ff' : '#8aa2c8'}},
        series: [{type: 'map', geoIndex: 0, data: data.areas},
                 {type: 'scatter', coordinateSystem: 'geo', symbolSize: function (v) { return 8 + Math.sqrt(v[2]) * 3; },
                  data: data.projects.map(function (p) {
                    return {name: p.name, value: p.value, url: p.url, itemStyle: {color: colours[p.light] || '#888'}};
                  })}]});
      chart.on('click', function (p) { if (p.data && p.data.url) { window.location = p.data.url; } });
      window.addEventListener('resize', function () { chart.resize(); });
    });
})();
