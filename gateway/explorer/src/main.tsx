// Monaco's web workers, bundled by Vite as files of their own (`?worker` imports) under
// /explorer/assets/, so the editor never loads a worker from a CDN.
import "graphiql/setup-workers/vite";
// Fonts GraphiQL asks for by name, served from our own assets (no font CDN).
import "@fontsource/roboto/latin-400.css";
import "@fontsource/roboto/latin-500.css";
import "@fontsource/roboto/latin-700.css";
import "@fontsource/fira-code/latin-400.css";
import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";
import "./explorer.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
