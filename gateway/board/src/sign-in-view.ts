/** E-mail and senha; the SDK stores the tokens (shared by the browser's tabs). */
import { h } from "./dom.js";
import { messageFor } from "./errors.js";
import type { AskyClient } from "./types.js";

export function signInView(root: HTMLElement, client: AskyClient, signedIn: () => void): () => void {
  const email = h("input", { id: "email", name: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const problem = h("p", { class: "problem", role: "alert" });
  const submit = h("button", { type: "submit" }, "Entrar");
  const form = h(
    "form",
    { class: "sign-in", "aria-label": "Entrar" },
    h("h1", {}, "Asky · Painel da ala"),
    h("label", { for: "email" }, "E-mail"),
    email,
    h("label", { for: "password" }, "Senha"),
    password,
    submit,
    problem,
  );
  let active = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit.disabled = true;
    problem.textContent = "";
    client.signIn(email.value.trim(), password.value).then(
      () => {
        if (active) signedIn();
      },
      (error: unknown) => {
        if (!active) return;
        submit.disabled = false;
        problem.textContent = messageFor(error);
        password.select();
      },
    );
  });
  root.replaceChildren(form);
  email.focus();
  return () => {
    active = false;
  };
}
