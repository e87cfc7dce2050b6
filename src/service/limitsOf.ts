import { Limits } from '../core/types';
import { AppSettingsValues } from '../settings';

export function limitsOf(settings: AppSettingsValues): Limits {
    return {
        valueBytes: settings.valueBytes,
        setBytes: settings.setBytes,
        itemsPerSet: settings.itemsPerSet,
        itemsPerRequest: settings.itemsPerRequest,
        causeBytes: settings.causeBytes,
        writesPerSecond: settings.writesPerSecond,
    };
}
