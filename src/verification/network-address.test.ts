import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { refusedAddressReason } from './network-address.ts';

describe('refusedAddressReason', () => {
  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['0.0.0.0', 'a "this network" address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['::', 'the unspecified address'],
    ['fe80::1', 'a link-local address'],
    ['fe80::1%eth0', 'a link-local address'],
    ['fd12:3456::1', 'a unique-local address'],
    ['fc00::1', 'a unique-local address'],
    ['ff02::1', 'a multicast address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::FFFF:A9FE:A9FE', 'a link-local address'],
    ['0:0:0:0:0:ffff:10.0.0.1', 'a private address'],
    ['::10.0.0.1', 'a private address'],
    ['64:ff9b::192.168.0.1', 'a private address'],
    ['2002:7f00:1::', 'a loopback address'],
    ['localhost', 'not an IP address'],
  ];
  for (const [address, why] of refused) {
    test(`refuses ${address} as ${why}`, () => {
      assert.equal(refusedAddressReason(address), why);
    });
  }

  for (const address of [
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::',
  ]) {
    test(`lets ${address} through as a public address`, () => {
      assert.equal(refusedAddressReason(address), null);
    });
  }
});
