// The mini-program code the console shows: wxacode.getUnlimited through 云调用 (common/wxopen.ts),
// the session id as its scene (≤ 32 characters), opening the login page. No code (null) when WeChat
// gives none: the console then says so and offers a new one.
import { miniProgramCode } from '../common/wxopen';

export async function loginCode(scene: string, page: string): Promise<string | null> {
  const png = await miniProgramCode(scene, page);
  return png ? `data:image/png;base64,${png.toString('base64')}` : null;
}
