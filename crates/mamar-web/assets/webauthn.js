// Security keys and passkeys on mamar's staff pages. Buttons marked
// data-webauthn="register" or "authenticate" run one ceremony: POST
// {endpoint}/start (form-encoded, with the session's CSRF token) returns
// the options; the browser asks the key; POST {endpoint}/finish sends the
// answer; the reply names the page to go to. On any failure the element
// named by data-failure is shown (its text comes translated from the page).
// Nothing here is loaded from another origin, and pages work without it
// through the TOTP form.
(function () {
  "use strict";

  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, fields) {
    return fetch(url, {
      method: "POST",
      body: new URLSearchParams(fields),
      credentials: "same-origin",
      redirect: "error"
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok || body.ok === false) {
          throw new Error("refused");
        }
        return body;
      });
    });
  }

  function register(options) {
    var key = options.publicKey;
    key.challenge = toBuffer(key.challenge);
    key.user.id = toBuffer(key.user.id);
    (key.excludeCredentials || []).forEach(function (c) { c.id = toBuffer(c.id); });
    return navigator.credentials.create({ publicKey: key }).then(function (c) {
      return {
        id: c.id,
        rawId: toText(c.rawId),
        type: c.type,
        response: {
          attestationObject: toText(c.response.attestationObject),
          clientDataJSON: toText(c.response.clientDataJSON)
        },
        extensions: c.getClientExtensionResults()
      };
    });
  }

  function authenticate(options) {
    var key = options.publicKey;
    key.challenge = toBuffer(key.challenge);
    (key.allowCredentials || []).forEach(function (c) { c.id = toBuffer(c.id); });
    return navigator.credentials.get({ publicKey: key }).then(function (c) {
      return {
        id: c.id,
        rawId: toText(c.rawId),
        type: c.type,
        response: {
          authenticatorData: toText(c.response.authenticatorData),
          clientDataJSON: toText(c.response.clientDataJSON),
          signature: toText(c.response.signature),
          userHandle: c.response.userHandle ? toText(c.response.userHandle) : null
        },
        extensions: c.getClientExtensionResults()
      };
    });
  }

  var buttons = document.querySelectorAll("button[data-webauthn]");
  if (!window.PublicKeyCredential) {
    return;
  }
  Array.prototype.forEach.call(buttons, function (button) {
    var failure = document.getElementById(button.getAttribute("data-failure"));
    button.hidden = false;
    button.addEventListener("click", function () {
      var endpoint = button.getAttribute("data-endpoint");
      var csrf = button.getAttribute("data-csrf");
      var ceremony = button.getAttribute("data-webauthn") === "register" ? register : authenticate;
      button.disabled = true;
      if (failure) {
        failure.hidden = true;
      }
      post(endpoint + "/start", { csrf: csrf })
        .then(ceremony)
        .then(function (credential) {
          var fields = { csrf: csrf, credential: JSON.stringify(credential) };
          // The person's own name for the new key, when the page asks for one.
          var nameField = document.getElementById(button.getAttribute("data-name-field") || "");
          if (nameField) {
            fields.name = nameField.value;
          }
          return post(endpoint + "/finish", fields);
        })
        .then(function (done) {
          window.location.assign(done.next);
        })
        .catch(function (error) {
          button.disabled = false;
          if (failure) {
            // The technical reason, for whoever debugs; the words shown are the page's own.
            failure.setAttribute("data-reason", String(error && error.message || error));
            var why = {
              NotAllowedError: "not-allowed",
              AbortError: "not-allowed",
              SecurityError: "security",
              InvalidStateError: "known"
            }[error && error.name] || (error && error.message === "refused" ? "refused" : "");
            var slot = failure.querySelector(".reason");
            var text = why ? failure.getAttribute("data-why-" + why) : "";
            if (slot) {
              slot.textContent = text ? " " + text : "";
            }
            failure.hidden = false;
          }
        });
    });
  });
})();
