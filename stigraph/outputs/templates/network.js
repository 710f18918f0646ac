(function () {
  "use strict";
  // Graph data is JSON in a non-executable block; every string in it is data, shown as text.
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;

  function settled() { document.body.setAttribute("data-stabilised", "1"); }
  if (data.options.physics && data.options.physics.enabled) {
    // Physics only untangles the precomputed layout, then stops for good.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      settled();
    });
  } else {
    network.once("afterDrawing", settled);
  }

  var details = document.getElementById("details");
  function show(text) { details.textContent = text; }
  network.on("click", function (params) {
    if (params.nodes.length) {
      show(nodes.get(params.nodes[0]).title || "");
    } else if (params.edges.length) {
      show(edges.get(params.edges[0]).title || "");
    }
  });

  // Search: match the label and the search text (name, acronym, code) of each node.
  var search = document.getElementById("search");
  var matches = document.getElementById("matches");
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 400 } });
    show(nodes.get(id).title || "");
  }
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    matches.textContent = "";
    if (!q) { return; }
    var found = nodes.get({ filter: function (n) { return !n.hidden && n.search.indexOf(q) !== -1; } });
    found.sort(function (a, b) { return a.label.localeCompare(b.label); });
    found.slice(0, 50).forEach(function (n) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = n.label;
      button.addEventListener("click", function () { focusNode(n.id); });
      li.appendChild(button);
      matches.appendChild(li);
    });
    if (found.length === 1) { network.selectNodes([found[0].id]); }
  });

  // Filters: show or hide a class of nodes, and the predicted links.
  var hiddenKinds = {};
  function applyFilters() {
    nodes.update(nodes.get().map(function (n) { return { id: n.id, hidden: !!hiddenKinds[n.kind] }; }));
  }
  Array.prototype.forEach.call(document.querySelectorAll("input.class-filter"), function (box) {
    box.addEventListener("change", function () {
      hiddenKinds[box.value] = !box.checked;
      applyFilters();
    });
  });
  var predicted = document.getElementById("show-predicted");
  if (predicted) {
    predicted.addEventListener("change", function () {
      edges.update(edges.get({ filter: function (e) { return e.predicted; } }).map(function (e) {
        return { id: e.id, hidden: !predicted.checked };
      }));
    });
  }
})();
