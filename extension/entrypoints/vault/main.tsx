import { render } from 'preact';
import { watchActivity } from '../../ui/activity';
import '../../ui/tokens.css';
import '../../ui/components.css';
import './vault.css';
import { VaultPage } from './VaultPage';

render(<VaultPage />, document.getElementById('app')!);
watchActivity();
