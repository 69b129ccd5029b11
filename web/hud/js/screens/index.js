// Every screen of the HUD by route name. A screen is
// { view(route, ctx) → {title, body, commands, nav, dictation?, mounted?}, enter?, leave? }.
import { work } from './work.js';
import { task } from './task.js';
import { step } from './step.js';
import { machine } from './machine.js';
import { report } from './report.js';
import { camera } from './camera.js';
import { settings } from './settings.js';
import { pair } from './pair.js';
import { publicReport } from './public.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

const boot = {
  view: () => ({ title: t('app.name'), body: h('div', { class: 'empty panel' }, h('div', { class: 'big', text: t('app.name') })), commands: [] }),
};

export const screens = { boot, work, task, step, machine, report, camera, settings, pair, public: publicReport };
