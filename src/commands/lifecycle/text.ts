// The lifecycle flows' problems in the user's words.
import * as vscode from 'vscode';
import type { AddressProblem } from '../../model/lifecycle/addresses';
import type { NameProblem } from '../../model/lifecycle/names';

export function addressText(p: AddressProblem): string {
  switch (p.kind) {
    case 'invalidCidr':
      return vscode.l10n.t('{0} is not a CIDR block: write an address and a prefix length, such as 172.30.0.0/16.', p.value);
    case 'hostBits':
      return vscode.l10n.t('{0} has host bits set: the block starts at {1}.', p.value, p.base);
    case 'invalidAddress':
      return vscode.l10n.t('{0} is not an IP address.', p.value);
    case 'needsSubnet':
      return p.field === 'gateway' ? vscode.l10n.t('A gateway needs a subnet: leave it empty, or go back and give a subnet.') : vscode.l10n.t('An IP range needs a subnet: leave it empty, or go back and give a subnet.');
    case 'outside':
      if (p.field === 'gateway') return vscode.l10n.t('The gateway {0} is outside the subnet {1}.', p.value, p.subnet);
      if (p.field === 'ipRange') return vscode.l10n.t('The IP range {0} is not inside the subnet {1}.', p.value, p.subnet);
      return vscode.l10n.t('{0} is outside the network’s subnet ({1}).', p.value, p.subnet);
    case 'wrongFamily':
      return p.family === 6 ? vscode.l10n.t('{0} is not an IPv6 block.', p.value) : vscode.l10n.t('{0} is not an IPv4 block.', p.value);
    case 'overlap':
      return vscode.l10n.t('{0} overlaps the subnet {1} of network {2}.', p.value, p.subnet, p.network);
    case 'taken':
      return p.by === 'gateway' ? vscode.l10n.t('{0} is the network’s gateway.', p.value) : vscode.l10n.t('{0} is already taken by container {1}.', p.value, p.by);
    case 'reserved':
      return vscode.l10n.t('{0} is the subnet’s network or broadcast address.', p.value);
  }
}

export function nameText(p: NameProblem, kind: 'container' | 'volume' | 'network', name: string): string {
  if (p === 'empty') return vscode.l10n.t('Give a name.');
  if (p === 'pattern')
    return kind === 'network'
      ? vscode.l10n.t('A network name cannot contain spaces or slashes.')
      : vscode.l10n.t('{0} is not a valid name: use letters, digits, _ . or -, starting with a letter or digit, at least two characters.', name);
  if (kind === 'container') return vscode.l10n.t('A container named {0} already exists.', name);
  if (kind === 'volume') return vscode.l10n.t('A volume named {0} already exists.', name);
  return vscode.l10n.t('A network named {0} already exists.', name);
}
