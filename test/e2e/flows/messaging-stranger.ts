// Usage: tsx messaging-stranger.ts <relayUrl> <toAddress> <text> — sends one message from a fresh random
// XMTP identity and prints its address. Used by the messaging e2e test as "someone unknown".
import { Client } from '@xmtp/xmtp-js';
import { Wallet } from 'ethers';

async function main(): Promise<void> {
  const [apiUrl, to, text] = process.argv.slice(2);
  if (!apiUrl || !to || !text) throw new Error('usage: messaging-stranger.ts <relayUrl> <toAddress> <text>');
  const client = await Client.create(Wallet.createRandom(), { env: 'local', apiUrl });
  const conversation = await client.conversations.newConversation(to);
  await conversation.send(text);
  console.log(client.address);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
