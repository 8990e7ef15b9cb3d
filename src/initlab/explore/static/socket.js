// The web app's transport, shaped like an anywidget model so that playground.js renders the same
// way in the browser and in Jupyter: get(name), send(message), on/off("msg:custom", callback).
//
// One WebSocket per page at /ws?token=… (the token from the page's own URL). Messages sent before
// the socket opens wait for it; a closed socket is reported to the page as an error message.

import { fromQuery } from "./state.js";

export function connect(location = window.location) {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
  const listeners = new Set();
  const waiting = [];
  const emit = (message) => listeners.forEach((callback) => callback(message));
  socket.addEventListener("open", () => {
    while (waiting.length) socket.send(waiting.shift());
  });
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    emit(message);
  });
  socket.addEventListener("close", (event) => {
    emit({ type: "error", about: "connection", message: `connection to the server closed (code ${event.code}); reload the page` });
  });
  const settings = fromQuery(location.search);
  return {
    get(name) {
      if (name === "settings") return settings;
      if (name === "sync_url") return true;
      return undefined;
    },
    send(message) {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else waiting.push(text);
    },
    on(event, callback) {
      if (event === "msg:custom") listeners.add(callback);
    },
    off(event, callback) {
      if (event === "msg:custom") listeners.delete(callback);
    },
    close() {
      socket.close();
    },
  };
}
