// The counter page: shows one window's current ticket and waiting counts, polls every 2 s,
// and sends the window steps. Every failure becomes one calm line in #message.
"use strict";

const POLL_MS = 2000;
const API = "/api/v1";
const params = new URLSearchParams(location.search);
const windowId = params.get("window");
let names = {};
let polling = null;
let busy = false;

const $ = (id) => document.getElementById(id);

function bilingual(zh, en) {
  const span = document.createElement("span");
  span.textContent = zh;
  if (en) {
    const small = document.createElement("span");
    small.className = "en";
    small.textContent = en;
    span.append(" ", small);
  }
  return span;
}

function say(zh, en, ok = false) {
  const line = $("message");
  line.replaceChildren(zh ? bilingual(zh, en) : "");
  line.className = ok ? "message ok" : "message";
}

async function request(method, path, body) {
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      cache: "no-store",
    });
  } catch (error) {
    throw { zh: "服务器无响应，正在重试…", en: "The server does not answer; trying again…" };
  }
  let reply = null;
  try {
    reply = await response.json();
  } catch (error) {
    throw { zh: "服务器回答有误，请稍后再试", en: `The server answered HTTP ${response.status}; try again shortly` };
  }
  if (!response.ok) {
    throw explain(reply);
  }
  return reply;
}

function explain(reply) {
  const code = reply && reply.error;
  const known = {
    nobody_waiting: ["现在没有人等候", "Nobody is waiting"],
    finish_current: ["请先办结、过号或转办当前号", "Finish the current ticket first (Done, No-show or Transfer)"],
    no_current: ["当前没有号，请先叫号", "No current ticket: press Call next"],
    unknown_window: ["没有这个窗口，请重新选择", "No such window; choose again"],
    unknown_service: ["没有这个服务事项", "No such service"],
  };
  const [zh, en] = known[code] || ["操作没有完成", (reply && reply.message) || "The step did not go through"];
  return { zh, en };
}

function serviceName(serviceId) {
  const name = names[serviceId];
  return name ? [name.name_zh, name.name_en] : [serviceId, null];
}

function showWindow(state) {
  const window = state.window;
  $("window-name").replaceChildren(bilingual(window.name_zh, window.name_en));
  document.title = `${window.name_zh} 叫号`;
  for (const service of state.services) names[service.service_id] = service;

  const current = state.current;
  const label = $("current-label");
  label.textContent = current ? current.label : "—";
  label.classList.toggle("empty", !current);
  const detail = $("current-detail");
  if (current) {
    const [zh, en] = serviceName(current.service_id);
    detail.replaceChildren(bilingual(zh, en));
    if (current.category !== "normal") {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.append(current.category === "priority" ? bilingual("绿色通道", "Priority") : bilingual("预约", "Appointment"));
      detail.append(badge);
    }
  } else {
    detail.replaceChildren(bilingual("暂无", "Nobody"));
  }
  $("call-next").disabled = busy || Boolean(current);
  for (const id of ["recall", "skip", "done", "transfer", "transfer-to"]) $(id).disabled = busy || !current;

  const list = $("queues");
  list.replaceChildren(
    ...state.queues.map((queue) => {
      const item = document.createElement("li");
      item.dataset.service = queue.service_id;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = `${queue.waiting} 人`;
      item.append(bilingual(queue.name_zh, queue.name_en), count);
      return item;
    }),
  );

  const select = $("transfer-to");
  if (!select.options.length) {
    for (const service of state.services) {
      const option = document.createElement("option");
      option.value = service.service_id;
      option.textContent = service.name_zh;
      if (service.name_en) option.title = service.name_en;
      select.append(option);
    }
  }
}

async function refresh() {
  try {
    const state = await request("GET", `/windows/${encodeURIComponent(windowId)}`);
    showWindow(state);
    if ($("message").dataset.stale === "yes") {
      say("", "");
      $("message").dataset.stale = "";
    }
  } catch (problem) {
    say(problem.zh, problem.en);
    $("message").dataset.stale = "yes";
  }
}

async function act(action) {
  if (busy) return;
  busy = true;
  const body = action === "transfer" ? { service_id: $("transfer-to").value } : undefined;
  try {
    const reply = await request("POST", `/windows/${encodeURIComponent(windowId)}/${action}`, body);
    const label = reply.ticket.label;
    const done = {
      "call-next": [`请 ${label} 号到本窗口`, `Calling ${label}`],
      recall: [`已重呼 ${label}`, `${label} called again`],
      skip: [`${label} 已过号`, `${label} marked as no-show`],
      done: [`${label} 已办结`, `${label} done`],
      transfer: [`${label} 已转至 ${serviceName(reply.ticket.service_id)[0]}`, `${label} moved to another queue`],
    }[action];
    say(done[0], done[1], true);
  } catch (problem) {
    say(problem.zh, problem.en);
  } finally {
    busy = false;
    await refresh();
  }
}

async function chooseWindow() {
  $("chooser").hidden = false;
  try {
    const reply = await request("GET", "/windows");
    for (const service of reply.services) names[service.service_id] = service;
    const list = $("window-list");
    list.replaceChildren(
      ...reply.windows.map((window) => {
        const link = document.createElement("a");
        link.href = `/counter?window=${encodeURIComponent(window.id)}`;
        link.append(bilingual(window.name_zh, window.name_en));
        const services = document.createElement("span");
        services.className = "services";
        services.textContent = window.services.map((id) => serviceName(id)[0]).join("、");
        link.append(services);
        return link;
      }),
    );
    if (!reply.windows.length) say("本中心还没有设置窗口（queues.ini）", "No windows are set up in queues.ini");
  } catch (problem) {
    say(problem.zh, problem.en);
    setTimeout(chooseWindow, POLL_MS);
  }
}

function start() {
  if (!windowId) {
    chooseWindow();
    return;
  }
  $("counter").hidden = false;
  $("change-window").hidden = false;
  for (const button of document.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", () => act(button.dataset.action));
  }
  refresh();
  polling = setInterval(refresh, POLL_MS);
}

start();
