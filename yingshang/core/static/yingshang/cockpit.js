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
