/** pt-BR labels for the contract's enums and error codes. Records keyed by the enums fail to compile when one grows. */
import type { EventType, RequestKind, RequestPriority, RequestStatus, SlaStage } from "./types.js";

export const statusLabel: Readonly<Record<RequestStatus, string>> = {
  PENDING: "Pendente",
  ACCEPTED: "Aceita",
  PREPARING: "Em preparo",
  VERIFIED: "Conferida",
  DISPATCHED: "Enviada",
  DELIVERED: "Entregue",
  REJECTED: "Recusada",
  CANCELLED: "Cancelada",
};

export const priorityLabel: Readonly<Record<RequestPriority, string>> = {
  ROUTINE: "Rotina",
  URGENT: "Urgente",
  ASAP: "O quanto antes",
  STAT: "Imediata (STAT)",
};

export const kindLabel: Readonly<Record<RequestKind, string>> = {
  MEDICATION: "Medicamento",
  MATERIAL: "Material",
  ASSISTANCE: "Assistência",
  RESTOCK: "Reposição",
};

export const eventLabel: Readonly<Record<EventType, string>> = {
  CREATED: "criada",
  STATUS_CHANGED: "mudou de situação",
  LINES_CHANGED: "itens alterados",
  SLA_WARNING: "prazo próximo",
  SLA_BREACHED: "prazo vencido",
};

export const slaStageLabel: Readonly<Record<SlaStage, string>> = {
  ACCEPT: "aceite",
  DISPATCH: "envio",
  DELIVER: "entrega",
};

/** What to tell the person when the API refuses, by `extensions.code`. */
export function errorMessage(code: string | undefined): string {
  switch (code) {
    case "UNAUTHENTICATED":
      return "E-mail ou senha incorretos.";
    case "FORBIDDEN":
      return "Você não tem permissão para isso.";
    case "BAD_USER_INPUT":
      return "Confira os dados informados.";
    case "NOT_FOUND":
      return "Não encontrado.";
    case "CONFLICT":
      return "Outra pessoa alterou isto antes; a lista foi atualizada.";
    case "RATE_LIMITED":
      return "Muitas tentativas seguidas; aguarde um pouco e tente de novo.";
    case "NETWORK_ERROR":
    case undefined:
      return "Sem conexão com o servidor; tente de novo.";
    default:
      return `O servidor recusou o pedido (${code}).`;
  }
}
