// Rocket.Chat's REST endpoints that change a user: users.update (an admin editing someone: here its customFields)
// and users.setPreferences (a user's own preferences, e.g. the language the engine then hands apps as
// IUser.settings.preferences.language). Same bodies and answers as the server; the change goes to the store, so
// the engine's user bridge sees it on its next read.
import type { Instance } from '../instance';
import { accountCustomFields } from '../lib/accountCustomFields';
import type { UserDoc } from '../store/docs';
import { publicUser, requireUser } from './rest';
import { failure, Router } from './router';

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function userEditRoutes(instance: Instance): Router {
    const { ctx } = instance;
    const router = new Router();

    // `{userId, data:{customFields}}`; needs `edit-other-user-info` (admin). Only customFields is supported: other
    // `data` fields are refused rather than silently ignored, so a test cannot believe it changed what it did not.
    router.post('/api/v1/users.update', async (rc) => {
        const caller = requireUser(rc);
        const body = await rc.json();
        if (typeof body.userId !== 'string' || !isObject(body.data)) {
            throw failure('Match error: the body must be {userId: String, data: Object} [error-invalid-params]', { errorType: 'error-invalid-params' });
        }
        if (!caller.roles.includes('admin')) {
            throw failure('Editing user is not allowed [error-action-not-allowed]', { errorType: 'error-action-not-allowed' });
        }
        const unsupported = Object.keys(body.data).filter((k) => k !== 'customFields');
        if (unsupported.length) {
            throw failure(`The local host's users.update only changes data.customFields, not ${unsupported.join(', ')}`);
        }
        const user = ctx.users.findById(body.userId);
        if (!user) {
            throw failure('Invalid user [error-invalid-user]', { errorType: 'error-invalid-user' });
        }
        if (isObject(body.data.customFields)) {
            let customFields: Record<string, unknown> | undefined;
            try {
                customFields = accountCustomFields(ctx, body.data.customFields);
            } catch (error) {
                throw failure((error as Error).message);
            }
            if (customFields) {
                ctx.users.set(user._id, { customFields });
            }
        }
        return { user: publicUser(ctx.users.findById(user._id) as UserDoc), success: true };
    });

    // `{userId?, data:{language?, …}}`: the caller's own preferences (another user's needs edit-other-user-info).
    // Like saveUserPreferences, every given key lands under settings.preferences and `language` also on the user.
    router.post('/api/v1/users.setPreferences', async (rc) => {
        const caller = requireUser(rc);
        const body = await rc.json();
        if (!isObject(body.data) || (body.userId !== undefined && typeof body.userId !== 'string')) {
            throw failure('Match error: the body must be {userId?: String, data: Object} [error-invalid-params]', { errorType: 'error-invalid-params' });
        }
        if (body.data.language !== undefined && typeof body.data.language !== 'string') {
            throw failure('Match error: Expected string, got ' + typeof body.data.language + ' in field data.language');
        }
        const userId = (body.userId as string | undefined) ?? caller._id;
        const user = ctx.users.findById(userId);
        if (!user) {
            throw failure('The optional "userId" param provided does not match any users [error-invalid-user]', { errorType: 'error-invalid-user' });
        }
        if (user._id !== caller._id && !caller.roles.includes('admin')) {
            throw failure('Editing user is not allowed [error-action-not-allowed]', { errorType: 'error-action-not-allowed' });
        }
        const preferences = { ...user.settings?.preferences, ...body.data };
        ctx.users.set(user._id, {
            settings: { ...user.settings, preferences },
            ...(typeof body.data.language === 'string' && { language: body.data.language }),
        });
        const saved = ctx.users.findById(user._id) as UserDoc;
        return { user: { _id: saved._id, settings: { preferences: { ...saved.settings?.preferences, ...(saved.language && { language: saved.language }) } } }, success: true };
    });

    return router;
}
