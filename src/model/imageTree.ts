// Images grouped by repository, one row per tag; dangling images on their own. Pure, for unit tests.
import { compareNames } from './grouping';
import { parseReference } from './imageReference';
import type { ImageRecord } from '../contract/records';

export interface ImageRow {
  image: ImageRecord;
  /** repository:tag; undefined for a dangling image. */
  tag?: string;
}

export interface RepositoryGroup {
  repository: string;
  rows: ImageRow[];
}

// The row keys live with every other tree key; re-exported for the Images view's callers.
export { imageRowKey, repositoryKey } from './treeKeys';

/** Repositories by name, tags by name within; dangling images newest first. */
export function groupImages(images: readonly ImageRecord[], keep: (row: ImageRow) => boolean = () => true): { repositories: RepositoryGroup[]; dangling: ImageRow[] } {
  const byRepo = new Map<string, ImageRow[]>();
  const dangling: ImageRow[] = [];
  for (const image of images) {
    if (image.repoTags.length === 0) {
      const row = { image };
      if (keep(row)) dangling.push(row);
      continue;
    }
    for (const tag of image.repoTags) {
      const row = { image, tag };
      if (!keep(row)) continue;
      const { repository } = parseReference(tag);
      let rows = byRepo.get(repository);
      if (!rows) byRepo.set(repository, (rows = []));
      rows.push(row);
    }
  }
  const repositories = [...byRepo].map(([repository, rows]) => ({ repository, rows: rows.sort((a, b) => compareNames(a.tag ?? '', b.tag ?? '')) }));
  repositories.sort((a, b) => compareNames(a.repository, b.repository));
  dangling.sort((a, b) => b.image.created - a.image.created);
  return { repositories, dangling };
}
