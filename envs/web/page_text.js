// Gives every interactive element a stable numeric id (data-agentc-id) and
// returns the page as lines: [{text, top, bottom}]. Elements that already carry
// an id keep it; new elements get the next free number. Argument: nothing.
() => {
  const INTERACTIVE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=checkbox], [role=tab], [role=option], [onclick], [contenteditable=true]";
  const BLOCK = new Set(["ADDRESS","ARTICLE","ASIDE","BLOCKQUOTE","DD","DIV","DL","DT","FIELDSET","FIGURE","FOOTER","FORM","H1","H2","H3","H4","H5","H6","HEADER","HR","LI","MAIN","NAV","OL","P","PRE","SECTION","TABLE","TBODY","THEAD","TFOOT","TR","UL","BR","BODY","CAPTION","LEGEND"]);
  const SKIP = new Set(["SCRIPT","STYLE","NOSCRIPT","TEMPLATE","HEAD","META","LINK","SVG"]);
  let next = window.__agentcNextId || 1;
  for (const el of document.querySelectorAll("[data-agentc-id]")) {
    next = Math.max(next, Number(el.getAttribute("data-agentc-id")) + 1);
  }
  const lines = [];
  let current = null;
  const scrollY = window.scrollY;
  const flush = () => {
    if (current && current.text.trim()) {
      current.text = current.text.replace(/\s+/g, " ").trim();
      lines.push(current);
    }
    current = null;
  };
  const append = (text, el) => {
    if (!text) return;
    if (!current) {
      const box = el.getBoundingClientRect();
      current = {text: "", top: box.top + scrollY, bottom: box.bottom + scrollY};
    }
    current.text += text;
  };
  const visible = (el) => {
    if (el.hidden) return false;
    const style = window.getComputedStyle(el);
    return !(style.display === "none" || style.visibility === "hidden");
  };
  // Script-driven widgets (click handlers on spans) show a pointer cursor that their parent lacks.
  const pointer = (el) => {
    if (window.getComputedStyle(el).cursor !== "pointer") return false;
    const parent = el.parentElement;
    return !parent || window.getComputedStyle(parent).cursor !== "pointer";
  };
  const describe = (el) => {
    const tag = el.tagName.toLowerCase();
    const attrs = [];
    const type = el.getAttribute("type");
    if (tag === "input" && type) attrs.push(`type=${type}`);
    if ((tag === "input" || tag === "textarea" || tag === "select") && el.name) attrs.push(`name=${el.name}`);
    const role = el.getAttribute("role");
    if (role) attrs.push(`role=${role}`);
    let label = "";
    if (tag === "input" || tag === "textarea") {
      if (type === "checkbox" || type === "radio") {
        attrs.push(el.checked ? "checked" : "unchecked");
        if (el.labels && el.labels.length && !el.labels[0].contains(el)) label = el.labels[0].innerText;
      } else if (type === "submit" || type === "button") {
        label = el.value;
      } else {
        attrs.push(`value="${el.value}"`);
        label = el.getAttribute("aria-label") || el.placeholder || (el.labels && el.labels.length ? el.labels[0].innerText : "");
      }
    } else if (tag === "select") {
      const chosen = el.selectedOptions.length ? el.selectedOptions[0].text : "";
      attrs.push(`value="${chosen}"`);
      label = "options: " + Array.from(el.options).map((o) => o.text).join(" | ");
    } else {
      label = el.innerText || el.getAttribute("aria-label") || el.title || el.value || "";
    }
    const shown = [tag].concat(attrs).join(" ");
    return `<${shown}> ${String(label).replace(/\s+/g, " ").trim()}`;
  };
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      append(node.textContent, node.parentElement);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || SKIP.has(node.tagName) || !visible(node)) return;
    if (node.matches(INTERACTIVE) || pointer(node)) {
      if (!node.hasAttribute("data-agentc-id")) node.setAttribute("data-agentc-id", String(next++));
      append(` [${node.getAttribute("data-agentc-id")}] ${describe(node)} `, node);
      if (node.tagName === "SELECT" || node.tagName === "TEXTAREA" || node.tagName === "BUTTON" || node.tagName === "A") return;
      for (const child of node.childNodes) if (child.nodeType === Node.ELEMENT_NODE) walk(child);
      return;
    }
    const block = BLOCK.has(node.tagName);
    if (block) flush();
    if (node.tagName === "TD" || node.tagName === "TH") append(" | ", node);
    for (const child of node.childNodes) walk(child);
    if (block) flush();
  };
  walk(document.body);
  flush();
  window.__agentcNextId = next;
  return {lines, scrollY, viewport: window.innerHeight, height: document.documentElement.scrollHeight};
}
