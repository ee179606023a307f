import { render } from 'preact';
import '../../ui/tokens.css';
import '../../ui/components.css';
import { Approve } from './Approve';

render(<Approve approvalId={location.hash.slice(1)} />, document.getElementById('app')!);
