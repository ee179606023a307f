// Usage: tsx messaging-stranger.ts <relayUrl> <toAddress> <text> [privateKey] — sends one message from a
// fresh random XMTP identity (or the given key's, to write again as the same someone) and prints its
// address. Used by the messaging e2e tests as "someone unknown".
import { Client } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';

async function main(): Promise<void> {
  const [apiUrl, to, text, key] = process.argv.slice(2);
  if (!apiUrl || !to || !text) throw new Error('usage: messaging-stranger.ts <relayUrl> <toAddress> <text> [privateKey]');
  const client = await Client.create(key ? new Wallet(key) : Wallet.createRandom(), { env: 'local', apiUrl });
  const conversation = await client.conversations.newConversation(to);
  await conversation.send(text);
  console.log(client.address);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
