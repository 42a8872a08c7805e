// Images grouped by repository, one row per tag; dangling images on their own. Pure, for unit tests.
import { compareNames } from './grouping';
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

/** Splits "host:5000/team/app:1.2" into repository and tag; the tag is after the last ':' past the last '/'. */
export function splitReference(ref: string): { repository: string; tag: string } {
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
  return { repository: name, tag: at >= 0 ? ref.slice(at + 1) : 'latest' };
}

export function imageRowKey(row: ImageRow): string {
  return row.tag ? `tag:${row.tag}` : `dangling:${row.image.id}`;
}

export function repositoryKey(repository: string): string {
  return `repo:${repository}`;
}

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
      const { repository } = splitReference(tag);
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
