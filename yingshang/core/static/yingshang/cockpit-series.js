/* A figure's months as bars. */
(function () {
  var el = document.getElementById('chart-series');
  if (!el || !window.echarts) { return; }
  var rows = JSON.parse(document.getElementById('series-data').textContent);
  var c = echarts.init(el, null, {renderer: 'svg'});
  c.setOption({tooltip: {trigger: 'axis'}, grid: {left: 8, right: 8, top: 12, bottom: 8, containLabel: true},
    xAxis: {type: 'category', data: rows.map(function (r) { return r.month; })}, yAxis: {type: 'value'},
    series: [{type: 'bar', data: rows.map(function (r) { return r.value === null ? null : Number(r.value); }),
              itemStyle: {color: '#0f3d7a'}}]});
  window.addEventListener('resize', function () { c.resize(); });
})();
