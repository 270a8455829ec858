/**
 * ksmd (mm/ksm.c ksm_scan_thread(), ksm_do_scan()): the daemon that scans VM_MERGEABLE memory,
 * and the files it exposes (/sys/kernel/mm/ksm/*, /proc/PID/ksm_stat, ksm_merging_pages).
 * @module
 */
import type { Kernel, KsmHooks } from "../kernel.ts";
import type { Mm } from "../mm.ts";

/** ksmd and its sysfs interface. Being written (issue 4): scanning is not modelled yet. */
export class Ksmd implements KsmHooks {
  /** mm slots in ksm_mm_head order. */
  readonly slots: Mm[] = [];
  constructor(readonly kernel: Kernel) {}

  enter(mm: Mm): void {
    if (!this.slots.includes(mm)) this.slots.push(mm);
  }

  exit(mm: Mm): void {
    const i = this.slots.indexOf(mm);
    if (i >= 0) this.slots.splice(i, 1);
  }

  unmerged(_mm: Mm, _start: number, _end: number): void {}

  unmapped(_mm: Mm, _start: number, _end: number): void {}

  /** Read /sys/kernel/mm/ksm/NAME. */
  readSysfs(name: string): string {
    throw new Error(`/sys/kernel/mm/ksm/${name}: ksmd is not modelled yet`);
  }

  /** Write /sys/kernel/mm/ksm/NAME. */
  writeSysfs(name: string, _value: string): void {
    throw new Error(`/sys/kernel/mm/ksm/${name}: ksmd is not modelled yet`);
  }

  /** /proc/PID/ksm_stat. */
  procKsmStat(_mm: Mm): string {
    throw new Error("ksm_stat: ksmd is not modelled yet");
  }
}
