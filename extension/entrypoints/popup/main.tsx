import { render } from 'preact';
render(<h1>SecureMed</h1>, document.getElementById('app')!);
