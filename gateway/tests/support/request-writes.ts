import { changeStatus, createRequest, type Fixture } from "@asky/stack/testing";

/**
 * Nurses create requests and the pharmacy walks each to DELIVERED, two at a time, until
 * stopped; every mutation goes through the gateway at `gatewayUrl`, whatever the broker is
 * doing. `stop()` resolves to the number of writes (each one event in the stream).
 */
export function startRequestWrites(options: {
  gatewayUrl: string;
  fixture: Fixture;
  nurse: string;
  pharmacist: string;
}): { stop(): Promise<number> } {
  const { gatewayUrl, fixture, nurse, pharmacist } = options;
  let stopping = false;
  let writes = 0;
  const worker = async () => {
    while (!stopping) {
      let request = await createRequest(fixture, nurse, gatewayUrl);
      writes += 1;
      for (const status of ["ACCEPTED", "PREPARING", "DISPATCHED"]) {
        request = await changeStatus(request, status, pharmacist, gatewayUrl);
        writes += 1;
      }
      await changeStatus(request, "DELIVERED", nurse, gatewayUrl);
      writes += 1;
    }
  };
  const workers = [worker(), worker()];
  return {
    async stop() {
      stopping = true;
      await Promise.all(workers);
      return writes;
    },
  };
}
