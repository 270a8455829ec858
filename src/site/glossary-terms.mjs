// The glossary's terms (content/glossary/index.mdx): the bold label that opens each entry, the id
// it gets there, and the words (in prose) or whole `code` spans that are a use of the term.
export const GLOSSARY_PATH = '/glossary/';

/** @type {{ label: string, id: string, words?: string[], code?: string[] }[]} */
export const TERMS = [
  { label: 'VMA', id: 'vma', words: ['VMA', 'VMAs'], code: ['vm_area_struct', 'struct vm_area_struct'] },
  { label: 'vm_flags', id: 'vm_flags', code: ['vm_flags'] },
  { label: 'VMA merging', id: 'vma-merging', words: ['VMA merging'] },
  { label: 'pgoff', id: 'pgoff', code: ['vm_pgoff', 'pgoff'] },
  { label: 'anon_vma', id: 'anon_vma', code: ['anon_vma'] },
  { label: 'fork child', id: 'fork-child', words: ['fork child'] },
  { label: 'guard region', id: 'guard-region', words: ['guard region', 'guard regions'] },
  { label: 'sticky flags', id: 'sticky-flags', words: ['sticky flags', 'sticky flag'], code: ['VM_STICKY'] },
  { label: 'VM_SPECIAL', id: 'vm_special', code: ['VM_SPECIAL'] },
  { label: 'KSM', id: 'ksm', words: ['KSM'] },
  { label: 'VM_MERGEABLE', id: 'vm_mergeable', code: ['VM_MERGEABLE'] },
  { label: 'ksmd', id: 'ksmd', words: ['ksmd'], code: ['ksmd'] },
  { label: 'full scan', id: 'full-scan', words: ['full scan', 'full scans'] },
  { label: 'rmap_item', id: 'rmap_item', code: ['rmap_item', 'ksm_rmap_item', 'struct ksm_rmap_item'] },
  { label: 'stable tree / unstable tree', id: 'stable-tree', words: ['stable tree', 'unstable tree'] },
  { label: 'KSM page', id: 'ksm-page', words: ['KSM page', 'KSM pages'] },
  { label: 'zero page', id: 'zero-page', words: ['zero page', 'zero pages'], code: ['use_zero_pages'] },
  { label: 'general_profit', id: 'general_profit', code: ['general_profit'] },
  { label: 'smart scan / advisor', id: 'smart-scan', words: ['smart scan'] },
  { label: 'merge-any', id: 'merge-any', words: ['merge-any'], code: ['MMF_VM_MERGE_ANY', 'PR_SET_MEMORY_MERGE'] },
  { label: 'the regression', id: 'the-regression' },
  { label: 'mmap_prepare', id: 'mmap_prepare', code: ['mmap_prepare', '.mmap_prepare', 'f_op->mmap_prepare'] },
  { label: 'legacy .mmap hook', id: 'legacy-mmap-hook', words: ['legacy .mmap hook', 'legacy .mmap hooks'] },
  { label: 'can_set_ksm_flags_early()', id: 'can_set_ksm_flags_early', code: ['can_set_ksm_flags_early()'] },
  { label: 'carveout', id: 'carveout', words: ['carveout'] },
  { label: 'vm.max_map_count', id: 'max_map_count', code: ['vm.max_map_count', 'max_map_count'] },
];

/** The glossary entry that `name` (a label, word or code form) is a use of, if any. */
export function termFor(name) {
  return TERMS.find((t) => t.label === name || t.words?.includes(name) || t.code?.includes(name));
}
