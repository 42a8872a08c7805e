// Deleting a tag in a registry deletes its manifest by digest, so every tag pointing to the same
// manifest goes with it; the user is told which before being asked.
import type { RegistryClient } from './client';

/** The other tags of `repo` whose manifest is `digest` (tags are looked up page by page, a HEAD each). */
export async function tagsSharingManifest(client: RegistryClient, repo: string, tag: string, digest: string): Promise<string[]> {
  const others = (await client.allTags(repo)).filter((t) => t !== tag);
  const out: string[] = [];
  // A few HEADs at a time: a repository with hundreds of tags should not open hundreds of sockets.
  for (let i = 0; i < others.length; i += 8) {
    const batch = others.slice(i, i + 8);
    const digests = await Promise.all(batch.map((t) => client.digest(repo, t).catch(() => undefined)));
    batch.forEach((t, j) => {
      if (digests[j] === digest) out.push(t);
    });
  }
  return out;
}
