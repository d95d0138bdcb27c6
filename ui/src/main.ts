import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'
import { installInteractionTiming } from './lib/perf'

const target = document.getElementById('app')
if (!target) throw new Error('missing #app')

// Every click, input, Enter and arrow key is timed to its updated screen, as `kap:<testid>`
// User Timing measures that scripts/bench-ui reads (names only, no content).
installInteractionTiming()

export default mount(App, { target })
