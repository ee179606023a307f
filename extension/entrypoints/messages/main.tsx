import { render } from 'preact';
import { watchActivity } from '../../ui/activity';
import '../../ui/tokens.css';
import '../../ui/components.css';
import './messages.css';
import { MessagesApp } from './MessagesApp';

render(<MessagesApp />, document.getElementById('app')!);
watchActivity();
