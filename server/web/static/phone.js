// The phone pages' two forms: a ticket's rating and a complaint's details. Each sends JSON to the
// public API and says the outcome in one line of the page's language (the words come from the form's
// data attributes); once stored, the form gives way to a thank-you.
"use strict";

async function send(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
    });
  } catch (error) {
    return { status: 0, code: "offline" };
  }
  let reply = {};
  try {
    reply = await response.json();
  } catch (error) {
    reply = {};
  }
  return { status: response.status, code: reply.error || "" };
}

function thank(form, lines) {
  const section = form.closest("section");
  const replaced = document.createElement("section");
  replaced.className = "card";
  replaced.id = "thanks";
  for (const line of lines) {
    const p = document.createElement("p");
    p.className = "thanks";
    p.textContent = line;
    replaced.append(p);
  }
  section.replaceWith(replaced);
  return replaced;
}

function problem(words, reply) {
  return reply.status === 0 ? words.offline : words.error;
}

function setUpRating(form) {
  const words = form.dataset;
  const bad = document.getElementById("bad");
  const phone = document.getElementById("phone");
  const message = document.getElementById("message");
  const mobile = new RegExp("^(?:" + words.mobile + ")$");
  const landline = new RegExp("^(?:" + words.landline + ")$");

  form.addEventListener("change", () => {
    const chosen = form.querySelector("input[name=level]:checked");
    bad.hidden = !(chosen && chosen.dataset.bad);
    message.textContent = "";
  });
  phone.addEventListener("input", () => {
    message.textContent = "";
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = form.querySelector("input[name=level]:checked");
    if (!chosen) {
      message.textContent = words.choose;
      return;
    }
    const isBad = Boolean(chosen.dataset.bad);
    const digits = phone.value.replace(/[\s-]/g, "");
    if (isBad && digits && !mobile.test(digits) && !landline.test(digits)) {
      message.textContent = words.badPhone;
      phone.focus();
      return;
    }
    const body = {
      level: chosen.value,
      reasons: isBad ? [...form.querySelectorAll("input[name=reasons]:checked")].map((box) => box.value) : [],
      phone: isBad && digits ? digits : null,
    };
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const reply = await send(words.url, body);
    button.disabled = false;
    if (reply.status === 201) {
      thank(form, isBad ? [words.thanks, words.followUp] : [words.thanks]);
    } else if (reply.code === "already_rated") {
      thank(form, [words.already]);
    } else if (reply.code === "not_served") {
      message.textContent = words.notServed;
    } else {
      message.textContent = problem(words, reply);
    }
  });
}

function setUpDetails(form) {
  const words = form.dataset;
  const text = document.getElementById("text");
  const count = document.getElementById("count");
  const message = document.getElementById("message");

  text.addEventListener("input", () => {
    count.textContent = String([...text.value].length);
    message.textContent = "";
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const written = text.value.trim();
    if (!written) {
      message.textContent = words.empty;
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const reply = await send(words.url, { text: written });
    button.disabled = false;
    if (reply.status === 201) {
      const shown = thank(form, [words.thanks]);
      const copy = document.createElement("p");
      copy.className = "details";
      copy.id = "details";
      copy.textContent = written;
      shown.append(copy);
    } else if (reply.code === "already_added") {
      thank(form, [words.already]);
    } else {
      message.textContent = problem(words, reply);
    }
  });
}

const ratingForm = document.getElementById("rating-form");
if (ratingForm) setUpRating(ratingForm);
const detailsForm = document.getElementById("details-form");
if (detailsForm) setUpDetails(detailsForm);
