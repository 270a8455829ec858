// The step trace prints every argument of a call as it was given: a string, undefined or a bigint
// where a number belongs (reader code that does not type-check) is shown, not left out.
import { describe, expect, it } from "vitest";
import { callText } from "../../src/engine/syscall_text.ts";
import {
  F_ADD_SEALS, F_GET_SEALS, F_SEAL_SEAL, F_SEAL_WRITE, MAP_ANONYMOUS, MAP_PRIVATE, MCL_CURRENT, MCL_FUTURE, MLOCK_ONFAULT,
  PROT_READ, PROT_WRITE,
} from "mergeable";

describe("callText", () => {
  it("names numeric flag words", () => {
    expect(callText("mmap", [0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0]))
      .toBe("mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)");
  });

  it("names mlock2(), mlockall() and fcntl() seal flags", () => {
    expect(callText("mlock2", [0x1000, 4096, MLOCK_ONFAULT])).toBe("mlock2(0x1000, 4096, MLOCK_ONFAULT)");
    expect(callText("mlockall", [MCL_CURRENT | MCL_FUTURE])).toBe("mlockall(MCL_CURRENT|MCL_FUTURE)");
    expect(callText("fcntl", [3, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_WRITE])).toBe("fcntl(3, F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_WRITE)");
    expect(callText("fcntl", [3, F_GET_SEALS, 0])).toBe("fcntl(3, F_GET_SEALS)");
  });

  it("prints non-numbers as given, with no empty argument", () => {
    const args = ["x", 4096, "rw", undefined, 10n, null] as unknown as (number | string)[];
    expect(callText("mmap", args)).toBe('mmap("x", 4096, "rw", undefined, 10n, null)');
    expect(callText("mprotect", [0x1000, 4096, "r" as unknown as number])).toBe('mprotect(0x1000, 4096, "r")');
    expect(callText("open", [undefined as unknown as string, 0])).toBe("open(undefined, 0)");
  });
});
