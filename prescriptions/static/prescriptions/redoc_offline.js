// Redoc 2 always draws its vendor's logo from https://cdn.redoc.ly, and no setting turns it
// off. The API docs load nothing from outside this server (the Content Security Policy allows
// images from 'self' and data: only), so the logo's address is blanked before the browser
// would fetch it; Redoc then drops the image, as it does when the CDN cannot be reached.
// Loaded before redoc.standalone.js, on the Redoc page only.
"use strict";
(function () {
  const isVendorLogo = (value) => String(value).startsWith("https://cdn.redoc.ly/");
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) {
      src.set.call(this, isVendorLogo(value) ? "" : value);
    },
  });
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    const blank = this instanceof HTMLImageElement && String(name).toLowerCase() === "src";
    return setAttribute.call(this, name, blank && isVendorLogo(value) ? "" : value);
  };
})();
