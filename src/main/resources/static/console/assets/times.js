// Beside each time shown in UTC, the same time in the reader's own zone, with that zone's offset.
(function () {
  function pad(n) { return String(n).padStart(2, '0'); }
  document.querySelectorAll('time.utc').forEach(function (t) {
    var d = new Date(t.getAttribute('datetime'));
    if (isNaN(d.getTime())) { return; }
    var offset = -d.getTimezoneOffset();
    var sign = offset < 0 ? '-' : '+';
    offset = Math.abs(offset);
    var local = document.createElement('span');
    local.className = 'local';
    local.textContent = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
      + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds())
      + ' local (UTC' + sign + pad(Math.floor(offset / 60)) + ':' + pad(offset % 60) + ')';
    t.insertAdjacentElement('afterend', local);
  });
})();
