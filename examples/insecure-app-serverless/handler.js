export const photos = async () => ({ statusCode: 200, body: '[]' });
export const events = async () => ({ statusCode: 204 });
