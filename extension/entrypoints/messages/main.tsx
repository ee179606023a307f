import { render } from 'preact';
import '../../ui/tokens.css';
import '../../ui/components.css';
import './messages.css';
import { MessagesApp } from './MessagesApp';

render(<MessagesApp />, document.getElementById('app')!);
