// The trusted-documents manifest ships next to the built client (tsc copies no JSON it does not import).
import { copyFileSync, mkdirSync } from "node:fs";

const from = new URL("../src/gql/persisted-documents.json", import.meta.url);
const to = new URL("../dist/gql/persisted-documents.json", import.meta.url);
mkdirSync(new URL(".", to), { recursive: true });
copyFileSync(from, to);
