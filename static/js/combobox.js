/* Accessible autocomplete: ARIA 1.2 combobox with a listbox (list autocomplete, manual selection).
   Markup: templates/components/combobox.html. Suggestions come from an htmx GET returning
   <li role="option" id="..." data-<code-attribute>="..." data-label="...">...</li> items (at most 10),
   one <li role="option" aria-disabled="true"> when nothing matches, or an empty body under 2 characters.
   Keyboard: Down/Up move through the options (opening the list), Enter chooses, Escape closes the list
   (or clears the field when it is already closed), Tab leaves without choosing.
   Without this script the text input stays a plain field that the server resolves. */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var DELAY_MS = 200;
  var KEYBOARD_HINT = " Utilisez les flèches haut et bas pour parcourir la liste, puis Entrée pour choisir.";

  function Combobox(root) {
    this.root = root;
    this.input = root.querySelector(".combobox__input");
    this.code = root.querySelector("[data-combobox-code]");
    this.listbox = root.querySelector("[role='listbox']");
    this.status = root.querySelector("[data-combobox-status]");
    this.url = root.getAttribute("data-suggestions-url");
    this.codeAttribute = "data-" + root.getAttribute("data-code-attribute");
    this.oneResult = root.getAttribute("data-one-result") || "1 suggestion.";
    this.manyResults = root.getAttribute("data-many-results") || "{n} suggestions.";
    this.activeIndex = -1;
    this.timer = null;
    this.lastQuery = null;
    this.enhance();
  }

  Combobox.prototype.enhance = function () {
    var self = this;
    var input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("hx-sync", "this:replace");
    input.setAttribute("hx-params", "none"); // the query travels as ?q=, not as the field's own name
    this.root.setAttribute("data-combobox-ready", "");

    input.addEventListener("input", function () { self.onInput(); });
    input.addEventListener("keydown", function (event) { self.onKeydown(event); });
    input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    // mousedown keeps the focus in the input; click chooses.
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role='option']");
      if (option) {
        self.choose(option);
      }
    });
    this.listbox.addEventListener("htmx:afterSwap", function () { self.onSuggestions(); });
  };

  Combobox.prototype.options = function () {
    return Array.prototype.slice.call(this.listbox.querySelectorAll("[role='option']:not([aria-disabled='true'])"));
  };

  Combobox.prototype.onInput = function () {
    var self = this;
    // The text changed: any code chosen before no longer matches it.
    this.code.value = "";
    window.clearTimeout(this.timer);
    var query = this.input.value.trim();
    if (query.length < MIN_CHARS) {
      this.lastQuery = null;
      this.clear();
      return;
    }
    this.timer = window.setTimeout(function () { self.fetch(query); }, DELAY_MS);
  };

  Combobox.prototype.fetch = function (query) {
    if (query === this.lastQuery && this.listbox.children.length) {
      this.open();
      return;
    }
    this.lastQuery = query;
    window.htmx.ajax("GET", this.url + "?q=" + encodeURIComponent(query), {
      source: this.input,
      target: this.listbox,
      swap: "innerHTML",
    });
  };

  Combobox.prototype.onSuggestions = function () {
    // A late answer for an older query is ignored.
    if (this.input.value.trim() !== this.lastQuery) {
      return;
    }
    this.setActive(-1);
    var items = this.listbox.querySelectorAll("[role='option']");
    var count = this.options().length;
    Array.prototype.forEach.call(items, function (item) { item.setAttribute("aria-selected", "false"); });
    if (!items.length) {
      this.close();
      this.announce("");
      return;
    }
    this.open();
    if (count === 0) {
      this.announce(items[0].textContent.trim());
    } else {
      this.announce((count === 1 ? this.oneResult : this.manyResults.replace("{n}", String(count))) + KEYBOARD_HINT);
    }
  };

  Combobox.prototype.onKeydown = function (event) {
    var options = this.options();
    var expanded = this.input.getAttribute("aria-expanded") === "true";
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        if (!options.length) {
          return;
        }
        event.preventDefault();
        if (!expanded) {
          this.open();
        }
        this.setActive(this.activeIndex + 1 >= options.length ? 0 : this.activeIndex + 1);
        break;
      case "ArrowUp":
      case "Up":
        if (!options.length) {
          return;
        }
        event.preventDefault();
        if (!expanded) {
          this.open();
        }
        this.setActive(this.activeIndex <= 0 ? options.length - 1 : this.activeIndex - 1);
        break;
      case "Enter":
        if (expanded && this.activeIndex >= 0 && options[this.activeIndex]) {
          event.preventDefault();
          this.choose(options[this.activeIndex]);
        }
        break;
      case "Escape":
      case "Esc":
        event.preventDefault();
        if (expanded) {
          this.close();
        } else {
          this.input.value = "";
          this.code.value = "";
          this.lastQuery = null;
          this.clear();
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  Combobox.prototype.setActive = function (index) {
    var options = this.options();
    options.forEach(function (option, position) {
      option.setAttribute("aria-selected", position === index ? "true" : "false");
    });
    this.activeIndex = index;
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      if (options[index].scrollIntoView) {
        options[index].scrollIntoView({ block: "nearest" });
      }
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.choose = function (option) {
    if (option.getAttribute("aria-disabled") === "true") {
      return;
    }
    var label = option.getAttribute("data-label") || option.textContent.trim();
    this.code.value = option.getAttribute(this.codeAttribute) || "";
    this.input.value = label;
    this.lastQuery = label;
    this.close();
    this.announce("Choix retenu : " + label + ".");
    this.input.dispatchEvent(new CustomEvent("combobox:chosen", { bubbles: true, detail: { code: this.code.value, label: label } }));
  };

  Combobox.prototype.open = function () {
    if (!this.listbox.children.length) {
      return;
    }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.setActive(-1);
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  };

  Combobox.prototype.clear = function () {
    this.close();
    this.listbox.innerHTML = "";
    this.announce("");
  };

  Combobox.prototype.announce = function (message) {
    this.status.textContent = message;
  };

  function init(scope) {
    if (!window.htmx) {
      return; // no transport: the field stays a plain text input resolved by the server
    }
    Array.prototype.forEach.call(scope.querySelectorAll("[data-combobox]:not([data-combobox-ready])"), function (root) {
      new Combobox(root);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.querySelectorAll) {
      init(event.target);
    }
  });
})();
