// window.evscope functions of the Localize step (registered when the step's module loads).
import { LocalizeSettingsSchema } from '../../core/localize/settings';
import { parseOrThrow, v } from '../../core/schema';
import { registerScripting } from '../../scripting/api';
import { localizeActions, type RunOutcome } from '../../state/localizeActions';
import { type LocalizeSettings, localizeParamsStore } from '../../state/localizeParamsStore';

registerScripting('setLocalizeParams', (patch: Partial<LocalizeSettings>): LocalizeSettings => {
  localizeParamsStore
    .getState()
    .set(parseOrThrow(v.partial(LocalizeSettingsSchema), patch, 'setLocalizeParams'));
  return localizeParamsStore.getState().settings;
});
registerScripting('localizeParams', (): LocalizeSettings => localizeParamsStore.getState().settings);
registerScripting('runLocalization', (): Promise<RunOutcome> => localizeActions.start());
registerScripting('cancelLocalization', (): void => localizeActions.cancel());
