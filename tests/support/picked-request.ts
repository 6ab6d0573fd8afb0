/**
 * A request of the seeded UTI cabinet walked to PREPARING and picked with a substitution:
 * lines with lots, and a substitute line with lots of its own, for the tests that read them.
 */
import { asGateway } from "@asky/stack/testing";
import { dispenserId, itemId } from "@asky/db/seed/ids";

const dipirona = itemId("MED-DIPIRONA-500-CP");
const paracetamol = itemId("MED-PARACETAMOL-500-CP");
const lot = (lotNumber: string, quantity: number) => ({ lotNumber, expiresAt: "2031-12-31", quantity });

export async function pickedRequestWithSubstitute(): Promise<string> {
  const nurse = asGateway("nurse@asky.dev");
  const tech = asGateway("tech@asky.dev");
  const { createRequest } = await nurse.ok<{ createRequest: { id: string; version: number } }>(
    `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`,
    {
      input: {
        kind: "MEDICATION",
        dispenserId: dispenserId("PYX-UTI-01"),
        items: [
          { itemId: dipirona, quantity: 4 },
          { itemId: itemId("MED-OMEPRAZOL-20-CAP"), quantity: 2 },
        ],
      },
    },
  );
  let version = createRequest.version;
  for (const status of ["ACCEPTED", "PREPARING"]) {
    const { changeRequestStatus } = await tech.ok<{ changeRequestStatus: { version: number } }>(
      `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { version } }`,
      { input: { requestId: createRequest.id, status, expectedVersion: version } },
    );
    version = changeRequestStatus.version;
  }
  await tech.ok(`mutation($input: RecordPickInput!) { recordPick(input: $input) { id } }`, {
    input: {
      requestId: createRequest.id,
      expectedVersion: version,
      lines: [
        { itemId: dipirona, quantity: 4, substituteItemId: paracetamol, lots: [lot("SUB-1", 3), lot("SUB-2", 1)] },
        { itemId: itemId("MED-OMEPRAZOL-20-CAP"), quantity: 2, lots: [lot("OME-1", 2)] },
      ],
    },
  });
  return createRequest.id;
}
