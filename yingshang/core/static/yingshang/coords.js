/* A place set on the zone's map (shipped with the platform, no tile server): clicking the map writes the
   longitude and latitude into the form's fields marked data-coord, and typing them moves the pin. */
(function () {
  var el = document.querySelector('[data-coords-map]');
  if (!el || !window.echarts) { return; }
  var lng = document.querySelector('[data-coord=lng]'), lat = document.querySelector('[data-coord=lat]');
  fetch(el.getAttribute('data-map-url'), {credentials: 'same-origin'}).then(function (r) { return r.json(); })
    .then(function (geo) {
      echarts.registerMap('zone', geo);
      var chart = echarts.init(el, null, {renderer: 'svg'});
      function point() {
        var x = parseFloat(lng.value), y = parseFloat(lat.value);
        return isNaN(x) || isNaN(y) ? [] : [[x, y]];
      }
      function draw() {
        chart.setOption({geo: {map: 'zone', roam: true, label: {show: true, fontSize: 11, color: '#4a5670'},
                               itemStyle: {areaColor: '#eef3fa', borderColor: '#8aa2c8'},
                               emphasis: {itemStyle: {areaColor: '#dfe9f7'}}},
                         series: [{type: 'scatter', coordinateSystem: 'geo', data: point(), symbolSize: 16,
                                   itemStyle: {color: '#c8372d'}}]});
      }
      draw();
      chart.getZr().on('click', function (e) {
        var c = chart.convertFromPixel({geoIndex: 0}, [e.offsetX, e.offsetY]);
        if (!c) { return; }
        lng.value = c[0].toFixed(6); lat.value = c[1].toFixed(6);
        draw();
      });
      [lng, lat].forEach(function (input) { input.addEventListener('change', draw); });
      window.addEventListener('resize', function () { chart.resize(); });
    });
})();
