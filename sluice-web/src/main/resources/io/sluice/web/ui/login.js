"use strict";
(function () {
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    const button = document.getElementById("login-button");
    button.disabled = true;
    try {
      const res = await fetch("/login", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Requested-With": "fetch" },
        body: JSON.stringify({
          username: document.getElementById("username").value,
          password: document.getElementById("password").value,
        }),
      });
      if (res.ok) {
        const next = new URLSearchParams(location.search).get("next");
        // why: only same-site paths, never an absolute URL (open redirect)
        location.href = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
        return;
      }
      let msg = "Login failed";
      try { msg = (await res.json()).error || msg; } catch (_) { /* not JSON */ }
      error.textContent = msg;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
})();
