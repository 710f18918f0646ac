(function () {
  "use strict";
  // Graph data is JSON in a non-executable block; every string in it is data, shown as text.
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var summary = data.summary || {};
  var FONT_PX = 13;
  var FONT_FACE = "Segoe UI, Helvetica Neue, Arial, sans-serif";
  var FADED = "rgba(200,200,200,0.35)";

  var state = {
    k: summary.defaultK || 1, year: null, region: "", income: "", layers: {},
    hiddenKinds: {}, predicted: true, selected: null
  };
  data.edges.forEach(function (e) {
    (e.layers || []).forEach(function (l) { state.layers[l] = true; });
  });

  // Names stay in `name`; `label` is what is drawn, set by placeLabels().
  data.nodes.forEach(function (n) { n.name = n.label; n.label = ""; n.baseColor = n.color; });
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function nodeOk(n) {
    if (state.hiddenKinds[n.kind]) { return false; }
    if (state.region && (n.region || n.kind === "Country") && n.region !== state.region) { return false; }
    if (state.income && (n.income || n.kind === "Country") && n.income !== state.income) { return false; }
    return true;
  }
  function year(text) { return text ? parseInt(String(text).slice(0, 4), 10) : NaN; }
  function edgeOk(e) {
    if (e.rank > state.k) { return false; }
    if (e.predicted && !state.predicted) { return false; }
    if (!(e.layers || []).some(function (l) { return state.layers[l]; })) { return false; }
    if (state.year !== null) {
      var s = year(e.start), t = year(e.end);
      if (!isNaN(s) && s > state.year) { return false; }
      if (!isNaN(t) && t < state.year) { return false; }
    }
    return nodeOk(byId[e.from]) && nodeOk(byId[e.to]);
  }

  // What is drawn: a node is drawn when it passes the filters and keeps a drawn link.
  var drawnNodes = {}, drawnEdges = {};
  function compute() {
    var nodeSet = {}, edgeSet = {};
    data.edges.forEach(function (e) {
      if (edgeOk(e)) { edgeSet[e.id] = true; nodeSet[e.from] = true; nodeSet[e.to] = true; }
    });
    return { nodes: nodeSet, edges: edgeSet };
  }
  var first = compute();
  drawnNodes = first.nodes; drawnEdges = first.edges;
  data.nodes.forEach(function (n) { n.hidden = !drawnNodes[n.id]; });
  data.edges.forEach(function (e) { e.hidden = !drawnEdges[e.id]; });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;

  function count(set) { return Object.keys(set).length; }
  function showCounts() {
    var box = document.getElementById("drawn");
    box.setAttribute("data-nodes", String(count(drawnNodes)));
    box.setAttribute("data-edges", String(count(drawnEdges)));
    document.getElementById("drawn-nodes").textContent = String(count(drawnNodes));
    document.getElementById("drawn-edges").textContent = String(count(drawnEdges));
  }

  function apply() {
    var next = compute();
    var nodeChanges = [], edgeChanges = [];
    data.nodes.forEach(function (n) {
      var hidden = !next.nodes[n.id];
      if (hidden !== !drawnNodes[n.id]) { nodeChanges.push({ id: n.id, hidden: hidden }); }
    });
    data.edges.forEach(function (e) {
      var hidden = !next.edges[e.id];
      if (hidden !== !drawnEdges[e.id]) { edgeChanges.push({ id: e.id, hidden: hidden }); }
    });
    drawnNodes = next.nodes; drawnEdges = next.edges;
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    if (state.selected && !drawnNodes[state.selected]) { unselect(); }
    showCounts();
    placeLabels();
  }

  // Labels: the largest nodes first, each only where it overlaps no label already placed,
  // always FONT_PX on screen whatever the zoom.
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT_PX + "px " + FONT_FACE;
  var labelled = {};
  var order = data.nodes.slice().sort(function (a, b) { return a.rank - b.rank; });
  var placedBoxes = [];
  function overlaps(a, b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  }
  // a long name (CORDIS legal names) is drawn cut with "…"; the tooltip and search keep it whole
  var LABEL_CHARS = 40;
  function shortName(n) {
    return n.name.length > LABEL_CHARS ? n.name.slice(0, LABEL_CHARS - 1).trimEnd() + "\u2026" : n.name;
  }
  function placeLabels() {
    var scale = network.getScale();
    var width = container.clientWidth, height = container.clientHeight;
    var ids = order.filter(function (n) { return drawnNodes[n.id]; }).map(function (n) { return n.id; });
    var positions = network.getPositions(ids);
    var boxes = [], next = {};
    var limit = 400;
    for (var i = 0; i < ids.length && boxes.length < limit; i++) {
      var n = byId[ids[i]];
      var p = network.canvasToDOM(positions[n.id]);
      var r = (n.size || 10) * scale;
      var w = measure.measureText(shortName(n)).width;
      var box = { x0: p.x - w / 2 - 2, x1: p.x + w / 2 + 2, y0: p.y + r + 1, y1: p.y + r + FONT_PX + 5, id: n.id };
      // only labels wholly inside the canvas (none cut by its edge)
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) { continue; }
      var free = true;
      for (var j = 0; j < boxes.length; j++) {
        if (overlaps(box, boxes[j])) { free = false; break; }
      }
      if (free) { boxes.push(box); next[n.id] = true; }
    }
    var size = FONT_PX / scale;
    var changes = [];
    data.nodes.forEach(function (n) {
      if (next[n.id]) {
        changes.push({ id: n.id, label: shortName(n), font: { size: size } });
      } else if (labelled[n.id]) {
        changes.push({ id: n.id, label: "" });
      }
    });
    labelled = next;
    placedBoxes = boxes;
    if (changes.length) { nodes.update(changes); }
    window.stigraphLabels = { ids: Object.keys(next), boxes: boxes };
  }
  var timer = null;
  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(placeLabels, 120);
  }
  network.on("zoom", later);
  network.on("dragEnd", later);
  network.on("animationFinished", later);

  function settled() {
    showCounts();
    placeLabels();
    document.body.setAttribute("data-stabilised", "1");
  }
  if (data.options.physics && data.options.physics.enabled) {
    // Physics only untangles the precomputed layout, then stops for good.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      settled();
    });
  } else {
    network.once("afterDrawing", settled);
  }

  // Selection: the neighbourhood stays in colour, the rest fades; its links are listed.
  var details = document.getElementById("details");
  var linkList = document.getElementById("links");
  function show(text) { details.textContent = text; }
  function unselect() {
    state.selected = null;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: n.baseColor }; }));
    linkList.textContent = "";
  }
  function select(id) {
    state.selected = id;
    var near = {}; near[id] = true;
    var mine = data.edges.filter(function (e) { return drawnEdges[e.id] && (e.from === id || e.to === id); });
    mine.forEach(function (e) { near[e.from] = true; near[e.to] = true; });
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, color: near[n.id] ? n.baseColor : FADED };
    }));
    show(byId[id].title || "");
    if (byId[id].page) {  // a group of an overview: its own page
      var open = document.createElement("a");
      open.href = byId[id].page;
      open.className = "group-page";
      open.textContent = "\nOpen this group's page";
      details.appendChild(open);
    }
    linkList.textContent = "";
    mine.sort(function (a, b) {
      var x = byId[a.from === id ? a.to : a.from].name, y = byId[b.from === id ? b.to : b.from].name;
      return x.localeCompare(y);
    });
    mine.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.title || "";
      linkList.appendChild(li);
    });
    var more = data.edges.filter(function (e) { return !drawnEdges[e.id] && (e.from === id || e.to === id); }).length;
    if (more) {
      var li = document.createElement("li");
      li.textContent = "+ " + more + " link(s) not drawn at this backbone level or filter.";
      linkList.appendChild(li);
    }
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0]);
    } else if (params.edges.length) {
      show(edges.get(params.edges[0]).title || "");
    } else if (state.selected) {
      unselect();
      show("Click a node to highlight its neighbourhood and list its links.");
    }
  });

  // Search: match the name and the search text (name, acronym, code) of each drawn node.
  var search = document.getElementById("search");
  var matches = document.getElementById("matches");
  function focusNode(id) {
    network.selectNodes([id]);
    select(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400 } });
  }
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    matches.textContent = "";
    if (!q) { return; }
    var found = data.nodes.filter(function (n) { return drawnNodes[n.id] && n.search.indexOf(q) !== -1; });
    found.sort(function (a, b) { return a.name.localeCompare(b.name); });
    found.slice(0, 50).forEach(function (n) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = n.name;
      button.addEventListener("click", function () { focusNode(n.id); });
      li.appendChild(button);
      matches.appendChild(li);
    });
    if (found.length === 1) { network.selectNodes([found[0].id]); }
  });

  // Controls: backbone level, year, region, income group, evidence layer, classes, predicted.
  function on(id, event, handler) {
    var element = document.getElementById(id);
    if (element) { element.addEventListener(event, function () { handler(element); }); }
  }
  on("backbone", "input", function (el) {
    state.k = parseInt(el.value, 10);
    document.getElementById("backbone-k").textContent = el.value;
    apply();
  });
  on("year", "input", function (el) {
    var value = parseInt(el.value, 10);
    state.year = value <= parseInt(el.min, 10) ? null : value;
    document.getElementById("year-value").textContent = state.year === null ? "any year" : String(value);
    apply();
  });
  on("region", "change", function (el) { state.region = el.value; apply(); });
  on("income", "change", function (el) { state.income = el.value; apply(); });
  Array.prototype.forEach.call(document.querySelectorAll("input.layer-filter"), function (box) {
    box.addEventListener("change", function () { state.layers[box.value] = box.checked; apply(); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input.class-filter"), function (box) {
    box.addEventListener("change", function () { state.hiddenKinds[box.value] = !box.checked; apply(); });
  });
  on("show-predicted", "change", function (el) { state.predicted = el.checked; apply(); });
  window.stigraphPage = { apply: apply, state: state, placeLabels: placeLabels };
})();
