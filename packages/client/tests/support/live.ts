/**
 * A new subscription gets events from the moment the gateway has registered it, which the
 * client is not told of. Tests that must not miss their first event make probe requests
 * until the subscription has shown one.
 */
import { eventually } from "@asky/stack/testing";

export async function untilLive(
  seen: (requestId: string) => boolean,
  probe: () => Promise<{ id: string }>,
): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { id } = await probe();
    const shown = await eventually(async () => seen(id), 3_000, "the probe's event").then(
      () => true,
      () => false,
    );
    if (shown) return;
  }
  throw new Error("the subscription showed none of 10 probe requests");
}
